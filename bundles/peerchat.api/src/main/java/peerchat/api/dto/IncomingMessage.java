package peerchat.api.dto;

import java.time.Instant;

/**
 * A message that arrived from a peer.
 *
 * @param from       the sender's UDP endpoint (the datagram's source address)
 * @param text       the message text
 * @param receivedAt when it arrived
 * @param plain      false for a message of the reliable protocol: acknowledged, delivered once and in order
 *                   per sender. True for a plain datagram without the protocol's header, as clients of the
 *                   original application send them ({@code NAME: text}): the whole datagram as text, not
 *                   acknowledged, not de-duplicated, and not checked by the transport in any way beyond being
 *                   text; whoever receives it decides whether to trust it (e.g. only from a legacy peer's
 *                   address). Since 1.2.
 * @param messageId  the sender's stable id of this message, null when it sent none (plain datagrams, older
 *                   peers); the same message resent carries the same id. Since 1.3.
 */
public record IncomingMessage(PeerAddress from, String text, Instant receivedAt, boolean plain, String messageId) {

    /** A message of the reliable protocol (not {@link #plain()}) without id: the version 1.0 shape. */
    public IncomingMessage(PeerAddress from, String text, Instant receivedAt) {
        this(from, text, receivedAt, false, null);
    }

    /** A message without id: the version 1.2 shape. */
    public IncomingMessage(PeerAddress from, String text, Instant receivedAt, boolean plain) {
        this(from, text, receivedAt, plain, null);
    }
}
