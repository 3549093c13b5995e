package peerchat.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

import peerchat.api.dto.IncomingMessage;

/** Register as a service to receive every message the transport accepts, once each. */
@ConsumerType
public interface MessageListener {
    void messageReceived(IncomingMessage message);
}
