package peerchat.chat.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Peers Chatting chat core",
        description = "The outbox: messages for contacts who are offline, or that were not acknowledged in time, "
                + "wait here and go out when the contact is seen online.")
@interface ChatConfig {

    @AttributeDefinition(name = "Outbox expiry (days)", min = "0",
            description = "A queued message that could not go out for this long fails as 'expired'.")
    double outboxExpiryDays() default 7;

    @AttributeDefinition(name = "Outbox retry interval (s)", min = "1",
            description = "How often queued messages for contacts who are online are tried again "
                    + "(they also go out at once when the contact logs in).")
    long retrySeconds() default 30;
}
