package peerchat.roster.server.internal;

import java.time.Duration;

/**
 * Limits of the server engine. The defaults suit production; tests shorten the timeouts.
 *
 * @param readBufferBytes size of the selector thread's scratch read buffer
 * @param maxQueuedBytes  bytes waiting to be written to one client before it counts as not
 *                        reading and is dropped
 * @param helloTimeout    how long a new connection may take to send HELLO
 * @param closeGrace      how long a connection being closed after ERROR/BYE is waited for
 */
public record ServerSettings(int readBufferBytes, int maxQueuedBytes, Duration helloTimeout, Duration closeGrace) {

    public static final ServerSettings DEFAULTS = new ServerSettings(16 * 1024, 1024 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(2));
}
