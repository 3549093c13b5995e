package peerchat.roster.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Peers Chatting roster client",
        description = "The roster server this workbench logs in to, and an optional name to log in with at start.")
public @interface RosterClientConfig {

    @AttributeDefinition(name = "Server", description = "Roster server as HOST:PORT.")
    String server() default "127.0.0.1:5555";

    @AttributeDefinition(name = "Name", description = "Log in with this name at start; empty for no automatic login.",
            required = false)
    String name() default "";

    @AttributeDefinition(name = "Ping interval (ms)",
            description = "A PING goes to the server when nothing was sent for this long (keep it well below the server's heartbeat timeout).",
            min = "100")
    int pingIntervalMillis() default 5000;

    @AttributeDefinition(name = "Server silence timeout (ms)",
            description = "The server counts as gone when nothing arrived from it for this long; the client then reconnects. 0 disables.",
            min = "0")
    int heartbeatTimeoutMillis() default 15000;

    @AttributeDefinition(name = "First reconnection pause (ms)",
            description = "Pause before the first reconnection attempt; doubled after each failure, with jitter.", min = "10")
    int reconnectInitialMillis() default 250;

    @AttributeDefinition(name = "Longest reconnection pause (ms)", description = "Upper bound of the reconnection pause.",
            min = "100")
    int reconnectMaxMillis() default 10000;
}
