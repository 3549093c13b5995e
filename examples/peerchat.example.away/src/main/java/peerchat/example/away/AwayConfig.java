package peerchat.example.away;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Away auto-responder", description = "Answers once per peer while you are away.")
public @interface AwayConfig {

    @AttributeDefinition(name = "Reply", description = "The text sent back; {name} is your user name.")
    String reply() default "[auto-reply] {name} is away and will answer later.";
}
