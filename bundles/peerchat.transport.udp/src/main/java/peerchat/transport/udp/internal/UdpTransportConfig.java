package peerchat.transport.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Peers Chatting UDP transport",
        description = "Where peers send chat messages to this workbench, and how hard it tries to deliver its own.")
@interface UdpTransportConfig {

    @AttributeDefinition(name = "Bind address",
            description = "Local address to receive on; 0.0.0.0 means every IPv4 interface.")
    String host() default "0.0.0.0";

    @AttributeDefinition(name = "UDP port", min = "0", max = "65535",
            description = "Local UDP port; 0 picks any free port (the roster tells peers which).")
    int port() default 0;

    @AttributeDefinition(name = "First retransmission (ms)", min = "1",
            description = "Wait before resending an unacknowledged message; doubles per retry, capped at 2000 ms.")
    long retransmitMillis() default TransportSettings.DEFAULT_RETRANSMIT_MILLIS;

    @AttributeDefinition(name = "Delivery timeout (ms)", min = "1", max = "300000",
            description = "A message not acknowledged within this time fails with \"timed out\".")
    long deliveryTimeoutMillis() default TransportSettings.DEFAULT_DELIVERY_TIMEOUT_MILLIS;
}
