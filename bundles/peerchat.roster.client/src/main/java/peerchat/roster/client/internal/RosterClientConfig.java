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
}
