package peerchat.roster.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Peers Chatting roster server",
        description = "The embedded roster server (TCP) that keeps the list of online users.")
public @interface RosterServerConfig {

    @AttributeDefinition(name = "Enabled", description = "Start listening when the component activates.")
    boolean enabled() default false;

    @AttributeDefinition(name = "Host", description = "Address to bind; empty for all interfaces.", required = false)
    String host() default "";

    @AttributeDefinition(name = "Port", description = "TCP port; 0 for any free port.", min = "0", max = "65535")
    int port() default 5555;

    @AttributeDefinition(name = "Handshake timeout (ms)",
            description = "A new connection must finish its login (HELLO or legacy login line) within this time.",
            min = "100")
    int handshakeTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Heartbeat timeout (ms)",
            description = "A logged-in client silent for this long is removed; after half of it the server pings it. 0 disables.",
            min = "0")
    int heartbeatTimeoutMillis() default 15000;

    @AttributeDefinition(name = "Requests per second",
            description = "Frames one connection may send per second on average; more gets TOO_MANY_REQUESTS. 0 disables.",
            min = "0")
    int maxRequestsPerSecond() default 20;

    @AttributeDefinition(name = "Request burst", description = "Frames one connection may send at once above the rate.",
            min = "1")
    int requestBurst() default 40;

    @AttributeDefinition(name = "Connections per IP",
            description = "Open connections allowed from one source IP address; more get TOO_MANY_CONNECTIONS. 0 disables.",
            min = "0")
    int maxConnectionsPerIp() default 64;

    @AttributeDefinition(name = "Total clients",
            description = "Open connections allowed in all (logged in or logging in); more get SERVER_FULL. 0 disables.",
            min = "0")
    int maxClients() default 20000;

    @AttributeDefinition(name = "Queue per client (bytes)",
            description = "Updates queued for a client that does not read; beyond this they are dropped and it gets a fresh roster when it reads again.", min = "65536")
    int maxQueuedBytes() default 1048576;

    @AttributeDefinition(name = "Update tick (ms)",
            description = "Roster changes within one tick are sent together, as one batch encoded once for all clients.",
            min = "1", max = "1000")
    int deltaTickMillis() default 15;

    @AttributeDefinition(name = "Slow reader timeout (ms)",
            description = "A client whose queue overflowed gets a fresh roster once it reads again; if it has not caught up by then it is disconnected.",
            min = "100")
    int slowReaderTimeoutMillis() default 30000;
}
