package peerchat.transport.udp.internal;

import java.util.concurrent.atomic.AtomicLong;

/** Engine-wide counters since start, updated from several threads (see TransportStats for their meaning). */
final class TransportCounters {
    final AtomicLong messagesSent = new AtomicLong();
    final AtomicLong messagesDelivered = new AtomicLong();
    final AtomicLong messagesFailed = new AtomicLong();
    final AtomicLong messagesReceived = new AtomicLong();
    final AtomicLong packetsSent = new AtomicLong();
    final AtomicLong packetsRetransmitted = new AtomicLong();
    final AtomicLong duplicatesDropped = new AtomicLong();
    final AtomicLong malformedDropped = new AtomicLong();
    /** ACK datagrams of their own (immediate, after a drain, timer, PING answers). */
    final AtomicLong acksSent = new AtomicLong();
    /** ACKs included in a DATA to the same peer instead of being sent alone (not in acksSent). */
    final AtomicLong acksPiggybacked = new AtomicLong();
    final AtomicLong acksReceived = new AtomicLong();
    final AtomicLong pingsSent = new AtomicLong();
    /** ACKs or DATA for a session that is not (or no longer) the current one. */
    final AtomicLong staleFrames = new AtomicLong();
    /** DATA beyond the advertised receive window, dropped (the sender retransmits). */
    final AtomicLong beyondWindow = new AtomicLong();
    final AtomicLong listenerFailures = new AtomicLong();
    final AtomicLong ioErrors = new AtomicLong();
    /** Plain (header-less) datagrams: sent by sendPlain, received and handed to the listeners, dropped for backlog. */
    final AtomicLong plainSent = new AtomicLong();
    final AtomicLong plainReceived = new AtomicLong();
    final AtomicLong plainDropped = new AtomicLong();
    /** DATA from strangers dropped unacknowledged because a stranger limit was reached. */
    final AtomicLong strangerDropped = new AtomicLong();
    /** keep() stages that failed (or threw, or were left by an unbound keeper): offered again later. */
    final AtomicLong keepFailures = new AtomicLong();
    /** Messages kept by the keeper (each once). */
    final AtomicLong messagesKept = new AtomicLong();
    /** Now: complete messages waiting for the keeper (gauge). */
    final AtomicLong awaitingKeep = new AtomicLong();
    /** Now: bytes and messages charged to strangers (gauges, at most the configured totals). */
    final AtomicLong strangerBytes = new AtomicLong();
    final AtomicLong strangerMessages = new AtomicLong();
    /** Highest values the two gauges above ever reached. */
    final AtomicLong strangerBytesPeak = new AtomicLong();
    final AtomicLong strangerMessagesPeak = new AtomicLong();
    /** Now: receive sessions of strangers (gauge). */
    final AtomicLong strangerSessions = new AtomicLong();
    /** Transport threads replaced after a Throwable escaped their work. */
    final AtomicLong threadsReplaced = new AtomicLong();
}
