package peerchat.api.store;

import java.time.Instant;

import peerchat.api.dto.DeliveryStatus;

/**
 * One message as the store keeps it.
 *
 * @param seq       the store's order: assigned when first stored, increasing, unique in this store (0 before)
 * @param id        the stable message id the sender chose; unique per peer and direction
 * @param peer      the other side: the recipient of an outgoing message, the sender of an incoming one
 * @param outgoing  true when this workbench sent it
 * @param from      sender's user name
 * @param to        recipient's user name
 * @param text      the message text
 * @param sent      when the sender wrote it
 * @param received  when it arrived here (incoming), null for outgoing ones
 * @param delivered when the recipient acknowledged it (outgoing, DELIVERED), null otherwise
 * @param state     QUEUED, SENDING, DELIVERED, SENT or FAILED for outgoing messages; DELIVERED for incoming ones
 * @param reason    why it failed (or why it waits); empty otherwise
 */
public record StoredMessage(long seq, String id, String peer, boolean outgoing, String from, String to, String text,
        Instant sent, Instant received, Instant delivered, DeliveryStatus state, String reason) {
}
