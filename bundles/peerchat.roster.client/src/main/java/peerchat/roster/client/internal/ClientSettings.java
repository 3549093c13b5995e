package peerchat.roster.client.internal;

import java.time.Duration;

/**
 * Timeouts of the roster client engine. The defaults suit production; tests shorten them.
 *
 * @param connectTimeout   how long to try to open the TCP connection
 * @param answerTimeout    how long to wait for the SNAPSHOT after sending HELLO, and for the
 *                         server to confirm a presence change
 * @param pingInterval     a PING goes to the server when the client has sent nothing for this long
 * @param heartbeatTimeout the server counts as gone when nothing arrived from it for this long
 * @param reconnectInitial the pause before the first reconnection attempt (doubled after each failure)
 * @param reconnectMax     the longest pause between reconnection attempts
 */
public record ClientSettings(Duration connectTimeout, Duration answerTimeout, Duration pingInterval,
        Duration heartbeatTimeout, Duration reconnectInitial, Duration reconnectMax) {

    public static final ClientSettings DEFAULTS = new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMillis(250), Duration.ofSeconds(10));

    /** The default heartbeat and reconnection timings with other login timeouts. */
    public ClientSettings(Duration connectTimeout, Duration answerTimeout) {
        this(connectTimeout, answerTimeout, DEFAULTS.pingInterval(), DEFAULTS.heartbeatTimeout(),
                DEFAULTS.reconnectInitial(), DEFAULTS.reconnectMax());
    }

    public ClientSettings withHeartbeat(Duration interval, Duration timeout) {
        return new ClientSettings(connectTimeout, answerTimeout, interval, timeout, reconnectInitial, reconnectMax);
    }

    public ClientSettings withReconnect(Duration initial, Duration max) {
        return new ClientSettings(connectTimeout, answerTimeout, pingInterval, heartbeatTimeout, initial, max);
    }

    /**
     * The pause before reconnection attempt {@code attempt} (0 for the first): the initial pause
     * doubled per attempt, capped at the maximum, then "equal jitter": half of it fixed, the other
     * half scaled by {@code random} (0 to 1), so clients that lost the same server spread out.
     */
    public Duration backoff(int attempt, double random) {
        long initial = Math.max(1, reconnectInitial.toMillis());
        long max = Math.max(initial, reconnectMax.toMillis());
        long base = attempt >= 30 ? max : Math.min(max, initial << attempt);
        double r = Math.min(1, Math.max(0, random));
        return Duration.ofMillis(base / 2 + Math.round(base / 2.0 * r));
    }
}
