package peerchat.roster.server.internal;

import java.time.Duration;

/**
 * Limits of the server engine. The defaults suit production; tests shorten the timeouts. Every
 * limit comes from the component's configuration ({@link RosterServerConfig}).
 *
 * @param readBufferBytes     size of the selector thread's scratch read buffer
 * @param maxQueuedBytes      bytes waiting to be written to one client before it counts as not
 *                            reading and is dropped
 * @param helloTimeout        how long a new connection may take to finish its handshake (HELLO or
 *                            legacy {@code login-} line)
 * @param closeGrace          how long a connection being closed after ERROR/BYE is waited for
 * @param heartbeatTimeout    a logged-in client silent for this long is removed (TIMEOUT); after
 *                            half of it the server sends a PING of its own
 * @param requestsPerSecond   frames a client may send per second, on average (0: no limit)
 * @param requestBurst        frames a client may send at once above that rate
 * @param maxConnectionsPerIp open connections from one source IP address (0: no limit)
 * @param maxClients          open connections in all, logged in or still in the handshake (0: no limit)
 * @param deltaTick           roster changes (joins, leaves, presence) are collected for this long and
 *                            then sent as one batch, encoded once for every client
 * @param slowReaderTimeout   a client whose queue overflowed (its updates were dropped and it waits
 *                            for a fresh snapshot) is disconnected when it has not caught up by then
 */
public record ServerSettings(int readBufferBytes, int maxQueuedBytes, Duration helloTimeout, Duration closeGrace,
        Duration heartbeatTimeout, int requestsPerSecond, int requestBurst, int maxConnectionsPerIp, int maxClients,
        Duration deltaTick, Duration slowReaderTimeout) {

    public static final ServerSettings DEFAULTS = new ServerSettings(16 * 1024, 1024 * 1024, Duration.ofSeconds(5),
            Duration.ofSeconds(2), Duration.ofSeconds(15), 20, 40, 64, 20_000, Duration.ofMillis(15),
            Duration.ofSeconds(30));

    /** The default batching (15 ms ticks, 30 s to catch up after an overflow) with these limits. */
    public ServerSettings(int readBufferBytes, int maxQueuedBytes, Duration helloTimeout, Duration closeGrace,
            Duration heartbeatTimeout, int requestsPerSecond, int requestBurst, int maxConnectionsPerIp,
            int maxClients) {
        this(readBufferBytes, maxQueuedBytes, helloTimeout, closeGrace, heartbeatTimeout, requestsPerSecond,
                requestBurst, maxConnectionsPerIp, maxClients, DEFAULTS.deltaTick(), DEFAULTS.slowReaderTimeout());
    }

    /** The defaults with other buffer sizes and handshake timings. */
    public ServerSettings(int readBufferBytes, int maxQueuedBytes, Duration helloTimeout, Duration closeGrace) {
        this(readBufferBytes, maxQueuedBytes, helloTimeout, closeGrace, DEFAULTS.heartbeatTimeout(),
                DEFAULTS.requestsPerSecond(), DEFAULTS.requestBurst(), DEFAULTS.maxConnectionsPerIp(),
                DEFAULTS.maxClients());
    }

    public ServerSettings withHeartbeatTimeout(Duration timeout) {
        return new ServerSettings(readBufferBytes, maxQueuedBytes, helloTimeout, closeGrace, timeout,
                requestsPerSecond, requestBurst, maxConnectionsPerIp, maxClients, deltaTick, slowReaderTimeout);
    }

    public ServerSettings withRequestRate(int perSecond, int burst) {
        return new ServerSettings(readBufferBytes, maxQueuedBytes, helloTimeout, closeGrace, heartbeatTimeout,
                perSecond, burst, maxConnectionsPerIp, maxClients, deltaTick, slowReaderTimeout);
    }

    public ServerSettings withConnectionLimits(int perIp, int total) {
        return new ServerSettings(readBufferBytes, maxQueuedBytes, helloTimeout, closeGrace, heartbeatTimeout,
                requestsPerSecond, requestBurst, perIp, total, deltaTick, slowReaderTimeout);
    }

    /** Other batching: the tick that coalesces roster changes, and how long an overflowed client may lag. */
    public ServerSettings withDeltaBatching(Duration tick, Duration slowReader) {
        return new ServerSettings(readBufferBytes, maxQueuedBytes, helloTimeout, closeGrace, heartbeatTimeout,
                requestsPerSecond, requestBurst, maxConnectionsPerIp, maxClients, tick, slowReader);
    }

    /** Another queue limit per client. */
    public ServerSettings withMaxQueuedBytes(int bytes) {
        return new ServerSettings(readBufferBytes, bytes, helloTimeout, closeGrace, heartbeatTimeout,
                requestsPerSecond, requestBurst, maxConnectionsPerIp, maxClients, deltaTick, slowReaderTimeout);
    }
}
