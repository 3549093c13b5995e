package peerchat.api.chat;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as a service to see, change, annotate or stop chat messages: outgoing ones before they
 * are recorded and sent, incoming ones before they are recorded and shown. Interceptors run one
 * after the other, highest {@code service.ranking} first (then lowest service id), each getting the
 * text the previous one returned.
 * <p>
 * An interceptor that throws, or does not answer within the chat core's timeout (about one
 * second), is skipped for that message and reported in the log; the message goes on with the
 * text it had. While a call of a hung interceptor is still running, later messages skip it.
 * Calls may come from different threads, one message at a time per direction and peer.
 *
 * @since 1.1
 */
@ConsumerType
public interface MessageInterceptor {

    /**
     * Optional service property: {@code "outgoing"} or {@code "incoming"} to see only that direction;
     * an interceptor without it sees both.
     */
    String DIRECTION = "peerchat.interceptor.direction";

    /** Which way a message is going. */
    enum Direction {
        /** Typed here, about to be sent to the peer. */
        OUTGOING,
        /** Arrived from the peer, about to be recorded and shown. */
        INCOMING
    }

    /**
     * @param direction whether this workbench sends or receives the message
     * @param peer      the other user's name (for an incoming message from someone not in the roster,
     *                  the sender's address)
     * @param text      the message text as the interceptors before this one left it; never empty
     * @return the text to go on with: {@code text} itself, a changed or annotated text, or
     *         {@code null} (or empty) to stop the message. A stopped outgoing message is neither
     *         recorded nor sent and its send completes FAILED with the reason "stopped by
     *         &lt;interceptor class&gt;"; a stopped incoming one is dropped.
     */
    String intercept(Direction direction, String peer, String text);
}
