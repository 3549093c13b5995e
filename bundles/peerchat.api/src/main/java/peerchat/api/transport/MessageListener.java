package peerchat.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

import peerchat.api.dto.IncomingMessage;

/**
 * Register as a service to receive every message the transport accepts: messages of the reliable
 * protocol once each and in order per sender, and header-less text datagrams marked
 * {@link peerchat.api.dto.IncomingMessage#plain() plain}, which the listener should accept only from
 * peers it knows to speak the original application's plain protocol.
 */
@ConsumerType
public interface MessageListener {
    void messageReceived(IncomingMessage message);
}
