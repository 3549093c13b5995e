package peerchat.transport.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Peers Chatting UDP transport",
        description = "Where peers send chat messages to this workbench, and how hard it tries to deliver its own. "
                + "Changes apply at once; a new bind address or port re-binds the socket.")
@interface UdpTransportConfig {

    @AttributeDefinition(name = "Bind address",
            description = "Local address to receive on; 0.0.0.0 means every IPv4 interface.")
    String host() default "0.0.0.0";

    @AttributeDefinition(name = "UDP port", min = "0", max = "65535",
            description = "Local UDP port; 0 picks any free port (the roster tells peers which).")
    int port() default 0;

    @AttributeDefinition(name = "Initial retransmission timeout (ms)", min = "1",
            description = "Retransmission timeout before the first round-trip measurement; afterwards it follows "
                    + "the measured RTT (RFC 6298) and doubles per unanswered retry.")
    long retransmitMillis() default TransportSettings.DEFAULT_INITIAL_RTO_MILLIS;

    @AttributeDefinition(name = "Minimum retransmission timeout (ms)", min = "1")
    long minRetransmitMillis() default TransportSettings.DEFAULT_MIN_RTO_MILLIS;

    @AttributeDefinition(name = "Maximum retransmission timeout (ms)", min = "1",
            description = "Upper bound of the exponential backoff.")
    long maxRetransmitMillis() default TransportSettings.DEFAULT_MAX_RTO_MILLIS;

    @AttributeDefinition(name = "Delivery timeout (ms)", min = "1", max = "300000",
            description = "A message not acknowledged within this time fails (\"peer unreachable\" or \"timed out\"), "
                    + "and so do the other pending messages to that peer; the next message starts a fresh session.")
    long deliveryTimeoutMillis() default TransportSettings.DEFAULT_DELIVERY_TIMEOUT_MILLIS;

    @AttributeDefinition(name = "Minimum congestion window (packets)", min = "1",
            description = "The window never shrinks below this on loss.")
    int minWindowPackets() default TransportSettings.DEFAULT_MIN_WINDOW;

    @AttributeDefinition(name = "Maximum congestion window (packets)", min = "1")
    int maxWindowPackets() default TransportSettings.DEFAULT_MAX_WINDOW;

    @AttributeDefinition(name = "Receive window (packets)", min = "1", max = "65536",
            description = "How many packets a peer may send beyond what the listeners have consumed.")
    int receiveWindowPackets() default TransportSettings.DEFAULT_RECEIVE_WINDOW;

    @AttributeDefinition(name = "Keep-alive interval (ms)", min = "1",
            description = "An idle session pings its peer this often (and measures the RTT).")
    long keepAliveMillis() default TransportSettings.DEFAULT_KEEP_ALIVE_MILLIS;

    @AttributeDefinition(name = "Session idle time (ms)", min = "1",
            description = "A session with nothing to send for this long is closed; a receiver forgets a silent "
                    + "sender after twice this time.")
    long sessionIdleMillis() default TransportSettings.DEFAULT_SESSION_IDLE_MILLIS;

    @AttributeDefinition(name = "Send queue limit per peer (bytes)", min = "1048576",
            description = "Messages beyond this many queued bytes are refused (\"send queue full\").")
    long maxQueuedBytesPerPeer() default TransportSettings.DEFAULT_MAX_QUEUED_BYTES;

    @AttributeDefinition(name = "Maximum peer sessions", min = "1")
    int maxPeers() default TransportSettings.DEFAULT_MAX_PEERS;

    @AttributeDefinition(name = "Stranger bytes per source", min = "1200",
            description = "Message bytes (received, reassembled or waiting for the keeper) one unknown address may "
                    + "hold; more of its data is dropped unacknowledged. Also the largest message a stranger can send.")
    long strangerBytesPerSource() default TransportSettings.DEFAULT_STRANGER_BYTES_PER_SOURCE;

    @AttributeDefinition(name = "Stranger messages per source", min = "1",
            description = "Messages one unknown address may have waiting for the keeper or the listeners.")
    int strangerMessagesPerSource() default TransportSettings.DEFAULT_STRANGER_MESSAGES_PER_SOURCE;

    @AttributeDefinition(name = "Stranger bytes in total", min = "1200",
            description = "Message bytes all unknown addresses together may hold.")
    long strangerBytesTotal() default TransportSettings.DEFAULT_STRANGER_BYTES_TOTAL;

    @AttributeDefinition(name = "Stranger messages in total", min = "1",
            description = "Messages all unknown addresses together may have waiting.")
    int strangerMessagesTotal() default TransportSettings.DEFAULT_STRANGER_MESSAGES_TOTAL;

    @AttributeDefinition(name = "Maximum stranger sessions", min = "1",
            description = "Receive sessions for unknown addresses; data from further unknown addresses is dropped.")
    int maxStrangerSessions() default TransportSettings.DEFAULT_MAX_STRANGER_SESSIONS;
}
