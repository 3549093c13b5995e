package peerchat.ui.workbench.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        name = "Peers Chatting workbench",
        description = "The main window; what the Connect dialog remembers for the next start.")
public @interface WorkbenchConfig {

    @AttributeDefinition(name = "Name", description = "The name last used to log in.", required = false)
    String name() default "";

    @AttributeDefinition(name = "Server", description = "The roster server last used, as HOST:PORT.")
    String server() default "127.0.0.1:5555";

    @AttributeDefinition(name = "Host a server", description = "Start the embedded roster server before logging in.")
    boolean hostServer() default false;

    @AttributeDefinition(name = "Server port", description = "Port of the hosted roster server.", min = "1", max = "65535")
    int hostPort() default 5555;

    @AttributeDefinition(name = "Listen on", description = "Local address for chat (UDP): 0.0.0.0 all interfaces, 127.0.0.1 loopback only, or one address.")
    String bindHost() default "0.0.0.0";

    @AttributeDefinition(name = "Connect at start",
            description = "Log in with the remembered name at start; when off (or on first start, without a name) the Connect dialog opens.")
    boolean connectAtStart() default false;

    @AttributeDefinition(name = "Connect dialog at start",
            description = "Open the Connect dialog at start when not logged in and not connecting by itself.")
    boolean connectDialog() default true;
}
