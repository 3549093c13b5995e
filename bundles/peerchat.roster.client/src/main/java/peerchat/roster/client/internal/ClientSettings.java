package peerchat.roster.client.internal;

import java.time.Duration;

/**
 * Timeouts of the roster client engine. The defaults suit production; tests shorten them.
 *
 * @param connectTimeout how long to try to open the TCP connection
 * @param answerTimeout  how long to wait for the SNAPSHOT after sending HELLO
 */
public record ClientSettings(Duration connectTimeout, Duration answerTimeout) {

    public static final ClientSettings DEFAULTS = new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5));
}
