package peerchat.transport.udp.internal;

import java.util.concurrent.TimeUnit;

/**
 * Tunables of the reliable transport (see {@link UdpTransportConfig} for their meaning). Immutable;
 * the engine reads the current instance on every decision, so a new one applies at once.
 */
record TransportSettings(long initialRtoMillis, long minRtoMillis, long maxRtoMillis, long deliveryTimeoutMillis,
        int minWindowPackets, int initialWindowPackets, int maxWindowPackets, int receiveWindowPackets,
        long keepAliveMillis, long sessionIdleMillis, long maxQueuedBytesPerPeer, int maxPeers,
        long strangerBytesPerSource, int strangerMessagesPerSource, long strangerBytesTotal,
        int strangerMessagesTotal, int maxStrangerSessions) {

    static final long DEFAULT_INITIAL_RTO_MILLIS = 200;
    static final long DEFAULT_MIN_RTO_MILLIS = 25;
    static final long DEFAULT_MAX_RTO_MILLIS = 2000;
    static final long DEFAULT_DELIVERY_TIMEOUT_MILLIS = 30_000;
    static final long MAX_DELIVERY_TIMEOUT_MILLIS = 300_000;
    static final int DEFAULT_MIN_WINDOW = 16;
    static final int DEFAULT_INITIAL_WINDOW = 32;
    static final int DEFAULT_MAX_WINDOW = 1024;
    static final int DEFAULT_RECEIVE_WINDOW = 1024;
    static final long DEFAULT_KEEP_ALIVE_MILLIS = 5_000;
    static final long DEFAULT_SESSION_IDLE_MILLIS = 120_000;
    static final long DEFAULT_MAX_QUEUED_BYTES = 64L << 20;
    static final int DEFAULT_MAX_PEERS = 4096;
    static final long DEFAULT_STRANGER_BYTES_PER_SOURCE = 64L << 10;
    static final int DEFAULT_STRANGER_MESSAGES_PER_SOURCE = 32;
    static final long DEFAULT_STRANGER_BYTES_TOTAL = 4L << 20;
    static final int DEFAULT_STRANGER_MESSAGES_TOTAL = 1000;
    static final int DEFAULT_MAX_STRANGER_SESSIONS = 256;
    /** Largest message, in UTF-8 bytes; larger ones are refused at send. */
    static final int MAX_MESSAGE_BYTES = 1 << 20;

    TransportSettings {
        positive("initialRtoMillis", initialRtoMillis);
        positive("minRtoMillis", minRtoMillis);
        if (maxRtoMillis < minRtoMillis) {
            throw new IllegalArgumentException("maxRtoMillis (" + maxRtoMillis + ") must not be below minRtoMillis ("
                    + minRtoMillis + ")");
        }
        if (deliveryTimeoutMillis < 1 || deliveryTimeoutMillis > MAX_DELIVERY_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("deliveryTimeoutMillis must be 1.." + MAX_DELIVERY_TIMEOUT_MILLIS
                    + ", was " + deliveryTimeoutMillis);
        }
        positive("minWindowPackets", minWindowPackets);
        if (maxWindowPackets < minWindowPackets) {
            throw new IllegalArgumentException("maxWindowPackets (" + maxWindowPackets
                    + ") must not be below minWindowPackets (" + minWindowPackets + ")");
        }
        if (initialWindowPackets < minWindowPackets || initialWindowPackets > maxWindowPackets) {
            throw new IllegalArgumentException("initialWindowPackets must be " + minWindowPackets + ".."
                    + maxWindowPackets + ", was " + initialWindowPackets);
        }
        if (receiveWindowPackets < 1 || receiveWindowPackets > 65_536) {
            throw new IllegalArgumentException("receiveWindowPackets must be 1..65536, was " + receiveWindowPackets);
        }
        positive("keepAliveMillis", keepAliveMillis);
        if (sessionIdleMillis < keepAliveMillis) {
            throw new IllegalArgumentException("sessionIdleMillis (" + sessionIdleMillis
                    + ") must not be below keepAliveMillis (" + keepAliveMillis + ")");
        }
        if (maxQueuedBytesPerPeer < MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("maxQueuedBytesPerPeer must be at least " + MAX_MESSAGE_BYTES
                    + ", was " + maxQueuedBytesPerPeer);
        }
        positive("maxPeers", maxPeers);
        if (strangerBytesPerSource < FrameCodec.MAX_PAYLOAD) {
            throw new IllegalArgumentException("strangerBytesPerSource must be at least " + FrameCodec.MAX_PAYLOAD
                    + ", was " + strangerBytesPerSource);
        }
        positive("strangerMessagesPerSource", strangerMessagesPerSource);
        if (strangerBytesTotal < strangerBytesPerSource) {
            throw new IllegalArgumentException("strangerBytesTotal (" + strangerBytesTotal
                    + ") must not be below strangerBytesPerSource (" + strangerBytesPerSource + ")");
        }
        if (strangerMessagesTotal < strangerMessagesPerSource) {
            throw new IllegalArgumentException("strangerMessagesTotal (" + strangerMessagesTotal
                    + ") must not be below strangerMessagesPerSource (" + strangerMessagesPerSource + ")");
        }
        positive("maxStrangerSessions", maxStrangerSessions);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    static TransportSettings defaults() {
        return new TransportSettings(DEFAULT_INITIAL_RTO_MILLIS, DEFAULT_MIN_RTO_MILLIS, DEFAULT_MAX_RTO_MILLIS,
                DEFAULT_DELIVERY_TIMEOUT_MILLIS, DEFAULT_MIN_WINDOW, DEFAULT_INITIAL_WINDOW, DEFAULT_MAX_WINDOW,
                DEFAULT_RECEIVE_WINDOW, DEFAULT_KEEP_ALIVE_MILLIS, DEFAULT_SESSION_IDLE_MILLIS,
                DEFAULT_MAX_QUEUED_BYTES, DEFAULT_MAX_PEERS, DEFAULT_STRANGER_BYTES_PER_SOURCE,
                DEFAULT_STRANGER_MESSAGES_PER_SOURCE, DEFAULT_STRANGER_BYTES_TOTAL, DEFAULT_STRANGER_MESSAGES_TOTAL,
                DEFAULT_MAX_STRANGER_SESSIONS);
    }

    static TransportSettings of(UdpTransportConfig c) {
        return new TransportSettings(c.retransmitMillis(), c.minRetransmitMillis(), c.maxRetransmitMillis(),
                c.deliveryTimeoutMillis(), c.minWindowPackets(), Math.max(c.minWindowPackets(),
                        Math.min(DEFAULT_INITIAL_WINDOW, c.maxWindowPackets())), c.maxWindowPackets(),
                c.receiveWindowPackets(), c.keepAliveMillis(), c.sessionIdleMillis(), c.maxQueuedBytesPerPeer(),
                c.maxPeers(), c.strangerBytesPerSource(), c.strangerMessagesPerSource(), c.strangerBytesTotal(),
                c.strangerMessagesTotal(), c.maxStrangerSessions());
    }

    TransportSettings withDeliveryTimeout(long millis) {
        return new TransportSettings(initialRtoMillis, minRtoMillis, maxRtoMillis, millis, minWindowPackets,
                initialWindowPackets, maxWindowPackets, receiveWindowPackets, keepAliveMillis, sessionIdleMillis,
                maxQueuedBytesPerPeer, maxPeers, strangerBytesPerSource, strangerMessagesPerSource, strangerBytesTotal,
                strangerMessagesTotal, maxStrangerSessions);
    }

    TransportSettings withRto(long initial, long min, long max) {
        return new TransportSettings(initial, min, max, deliveryTimeoutMillis, minWindowPackets, initialWindowPackets,
                maxWindowPackets, receiveWindowPackets, keepAliveMillis, sessionIdleMillis, maxQueuedBytesPerPeer,
                maxPeers, strangerBytesPerSource, strangerMessagesPerSource, strangerBytesTotal,
                strangerMessagesTotal, maxStrangerSessions);
    }

    TransportSettings withKeepAlive(long keepAlive, long idle) {
        return new TransportSettings(initialRtoMillis, minRtoMillis, maxRtoMillis, deliveryTimeoutMillis,
                minWindowPackets, initialWindowPackets, maxWindowPackets, receiveWindowPackets, keepAlive, idle,
                maxQueuedBytesPerPeer, maxPeers, strangerBytesPerSource, strangerMessagesPerSource, strangerBytesTotal,
                strangerMessagesTotal, maxStrangerSessions);
    }

    TransportSettings withWindows(int min, int initial, int max, int receive) {
        return new TransportSettings(initialRtoMillis, minRtoMillis, maxRtoMillis, deliveryTimeoutMillis, min,
                initial, max, receive, keepAliveMillis, sessionIdleMillis, maxQueuedBytesPerPeer, maxPeers,
                strangerBytesPerSource, strangerMessagesPerSource, strangerBytesTotal, strangerMessagesTotal,
                maxStrangerSessions);
    }

    TransportSettings withStrangerLimits(long bytesPerSource, int messagesPerSource, long bytesTotal,
            int messagesTotal, int sessions) {
        return new TransportSettings(initialRtoMillis, minRtoMillis, maxRtoMillis, deliveryTimeoutMillis,
                minWindowPackets, initialWindowPackets, maxWindowPackets, receiveWindowPackets, keepAliveMillis,
                sessionIdleMillis, maxQueuedBytesPerPeer, maxPeers, bytesPerSource, messagesPerSource, bytesTotal,
                messagesTotal, sessions);
    }

    long nanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
