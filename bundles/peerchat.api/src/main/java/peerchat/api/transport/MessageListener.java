package peerchat.api.transport;

import org.osgi.annotation.versioning.ConsumerType;

import peerchat.api.dto.IncomingMessage;

/**
 * Register as a service to receive every message the transport accepts: messages of the reliable
 * protocol once each and in order per sender, and header-less text datagrams marked
 * {@link peerchat.api.dto.IncomingMessage#plain() plain}, which the listener should accept only from
 * peers it knows to speak the original application's plain protocol.
 * <p>
 * Since 1.3 a reliable message reaches the listeners only after the {@link MessageKeeper} kept it
 * (and was acknowledged to its sender then): while no keeper is bound, listeners get no reliable
 * messages. Plain datagrams are not kept and come at once. Storing messages is the keeper's job, not
 * a listener's: a listener that fails or is absent loses nothing that was delivered.
 * <p>
 * Calls come one at a time, in arrival order, on a transport thread (possibly the one that reads
 * the network): return quickly and hand long work to another thread. A call that takes long moves
 * deliveries off the network thread for a while; one that blocks holds up later messages to every
 * listener, not acknowledgements (those wait for the keeper only).
 */
@ConsumerType
public interface MessageListener {
    void messageReceived(IncomingMessage message);
}
