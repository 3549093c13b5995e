package peerchat.api.dto;

import java.time.Instant;

/** A message that arrived from a peer, delivered once and in order per sender. */
public record IncomingMessage(PeerAddress from, String text, Instant receivedAt) {
}
