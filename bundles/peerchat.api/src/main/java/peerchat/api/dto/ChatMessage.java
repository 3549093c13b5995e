package peerchat.api.dto;

import java.time.Instant;

/**
 * One entry of a conversation.
 *
 * @param id       unique within this workbench, increasing
 * @param time     when it was sent or received
 * @param from     sender's user name
 * @param to       recipient's user name
 * @param text     the message text
 * @param outgoing true when this workbench sent it
 * @param status   delivery state of an outgoing message; DELIVERED for incoming ones
 * @param reason   why delivery failed; empty otherwise
 */
public record ChatMessage(long id, Instant time, String from, String to, String text, boolean outgoing,
        DeliveryStatus status, String reason) {
}
