package peerchat.api.transport;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;

/**
 * Register as a service to take responsibility for reliable messages: the transport acknowledges a
 * message to its sender only after a keeper said it has durably kept it ("delivered means stored").
 * The transport uses one keeper at a time (the highest-ranked service).
 * <p>
 * {@link #keep} is called once per message, one at a time, in order per sender, on a transport
 * thread: it must return at once and finish the work elsewhere. Until the returned stage completes
 * normally the message counts against its sender's window and is not acknowledged, so the sender
 * sees it pending. A stage that completes exceptionally, or a keeper that goes away before
 * completing, makes the transport offer the message again later, to the same or the next keeper,
 * in the same order; it is never acknowledged without being kept. While no keeper is bound the
 * transport acknowledges no reliable message. {@link MessageListener}s see a reliable message only
 * after it was kept.
 *
 * @since 1.3
 */
@ConsumerType
public interface MessageKeeper {

    /**
     * @return a stage that completes normally once the message is durably kept (or was kept before:
     *         duplicates, recognised by {@link peerchat.api.dto.IncomingMessage#messageId()}, complete
     *         normally too), or exceptionally when it could not be kept now
     */
    CompletionStage<?> keep(IncomingMessage message);

    /**
     * Whether {@code source} belongs to someone the keeper knows (a roster member or a contact).
     * Datagrams from other addresses ("strangers") are held to the transport's stranger limits
     * (bytes and messages per source and in total) so that a flood cannot crowd out known peers.
     * Called on transport threads: must be fast and must not block.
     */
    default boolean knows(PeerAddress source) {
        return true;
    }
}
