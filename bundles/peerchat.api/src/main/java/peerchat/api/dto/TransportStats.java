package peerchat.api.dto;

import java.util.List;

/**
 * A snapshot of a message transport's counters: totals since the transport started, plus one
 * record per peer session that currently exists (sessions end when a peer stays silent or idle).
 *
 * @param messagesSent messages accepted by {@code send} and handed to the network
 * @param messagesDelivered sends acknowledged by the peer (DELIVERED)
 * @param messagesFailed sends that completed FAILED, for any reason
 * @param messagesReceived messages from peers handed to the listeners, each once (reliable ones after they
 *                         were kept)
 * @param packetsSent datagrams carrying message data, first transmissions only
 * @param packetsRetransmitted datagrams carrying message data sent again
 * @param duplicatesDropped received data datagrams that had been received before
 * @param malformedDropped received datagrams that were not valid frames (counted and dropped)
 * @param inFlight data datagrams sent but not yet acknowledged, over all peers
 * @param plainSent plain (header-less) datagrams sent to clients of the original application
 * @param plainReceived plain datagrams received and handed to the listeners
 * @param plainDropped plain datagrams dropped because the listeners were too far behind
 * @param strangerDropped data datagrams from addresses the message keeper does not know ("strangers") dropped
 *                        unacknowledged because a stranger limit (bytes, messages or sessions) was reached
 *                        (since 1.3)
 * @param keepFailures attempts to have a received message kept that failed (the message is offered again
 *                     later; since 1.3)
 * @param awaitingKeep received messages waiting to be kept now, not yet acknowledged (since 1.3)
 * @param peers the current peer sessions
 */
public record TransportStats(long messagesSent, long messagesDelivered, long messagesFailed, long messagesReceived,
        long packetsSent, long packetsRetransmitted, long duplicatesDropped, long malformedDropped, long inFlight,
        long plainSent, long plainReceived, long plainDropped, long strangerDropped, long keepFailures,
        long awaitingKeep, List<PeerStats> peers) {

    /** Stats of a transport that keeps none. */
    public static final TransportStats EMPTY = new TransportStats(0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());

    public TransportStats {
        peers = List.copyOf(peers);
    }

    /** Without keeper and stranger counters (the 1.2 shape). */
    public TransportStats(long messagesSent, long messagesDelivered, long messagesFailed, long messagesReceived,
            long packetsSent, long packetsRetransmitted, long duplicatesDropped, long malformedDropped, long inFlight,
            long plainSent, long plainReceived, long plainDropped, List<PeerStats> peers) {
        this(messagesSent, messagesDelivered, messagesFailed, messagesReceived, packetsSent, packetsRetransmitted,
                duplicatesDropped, malformedDropped, inFlight, plainSent, plainReceived, plainDropped, 0, 0, 0, peers);
    }

    /** Without plain-datagram counters (the 1.1 shape). */
    public TransportStats(long messagesSent, long messagesDelivered, long messagesFailed, long messagesReceived,
            long packetsSent, long packetsRetransmitted, long duplicatesDropped, long malformedDropped, long inFlight,
            List<PeerStats> peers) {
        this(messagesSent, messagesDelivered, messagesFailed, messagesReceived, packetsSent, packetsRetransmitted,
                duplicatesDropped, malformedDropped, inFlight, 0, 0, 0, 0, 0, 0, peers);
    }

    /**
     * One peer session.
     *
     * @param peer the peer's UDP endpoint
     * @param state e.g. {@code active}, {@code idle}, {@code probing}
     * @param messagesSent messages sent to this peer in this session
     * @param messagesDelivered of them acknowledged
     * @param messagesFailed of them failed
     * @param messagesReceived messages received from this peer
     * @param packetsRetransmitted data datagrams sent to this peer again
     * @param duplicatesDropped data datagrams from this peer received twice or more
     * @param srttMillis smoothed round-trip time (RFC 6298), or -1 before the first sample
     * @param rttvarMillis round-trip time variation, or -1 before the first sample
     * @param rtoMillis current retransmission timeout, backoff included
     * @param inFlight data datagrams sent to this peer and not yet acknowledged
     * @param congestionWindow how many datagrams may be in flight now (packets)
     * @param queued messages waiting for room in the window
     */
    public record PeerStats(PeerAddress peer, String state, long messagesSent, long messagesDelivered,
            long messagesFailed, long messagesReceived, long packetsRetransmitted, long duplicatesDropped,
            double srttMillis, double rttvarMillis, double rtoMillis, int inFlight, int congestionWindow,
            int queued) {
    }
}
