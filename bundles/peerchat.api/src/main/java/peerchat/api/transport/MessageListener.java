package peerchat.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

import peerchat.api.dto.IncomingMessage;

/**
 * Register as a service to receive every message the transport accepts: messages of the reliable
 * protocol once each and in order per sender, and header-less text datagrams marked
 * {@link peerchat.api.dto.IncomingMessage#plain() plain}, which the listener should accept only from
 * peers it knows to speak the original application's plain protocol.
 * <p>
 * Calls come one at a time, in arrival order, on a transport thread (possibly the one that reads
 * the network): return quickly and hand long work to another thread. A call that takes long moves
 * deliveries off the network thread for a while; one that blocks holds up later messages to every
 * listener, not acknowledgements.
 */
@ConsumerType
public interface MessageListener {
    void messageReceived(IncomingMessage message);
}
