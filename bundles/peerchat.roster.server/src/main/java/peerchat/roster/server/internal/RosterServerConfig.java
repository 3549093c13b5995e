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
}
