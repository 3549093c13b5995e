package peerchat.api.store;

import java.time.Instant;

import peerchat.api.dto.DeliveryStatus;

/**
 * A new state for a stored message.
 *
 * @param seq    the message's {@link StoredMessage#seq()}
 * @param state  its new state
 * @param reason why (FAILED, QUEUED); empty otherwise
 * @param at     when the change happened; becomes {@link StoredMessage#delivered()} for DELIVERED
 */
public record StateChange(long seq, DeliveryStatus state, String reason, Instant at) {
}
