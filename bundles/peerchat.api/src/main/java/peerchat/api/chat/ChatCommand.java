package peerchat.api.chat;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as a service to add a command that users type in a conversation: {@code /name args}.
 * A text given to {@link ChatService#send(String, String)} that starts with {@code /} runs the
 * command of that name instead of being sent ({@code //text} sends {@code /text} literally); an
 * unknown name fails the send with an {@link IllegalArgumentException}. With several commands of one
 * name, the one of highest {@code service.ranking} runs.
 * <p>
 * The command runs with the same isolation as a {@link MessageInterceptor}: if it throws or hangs
 * beyond the timeout, the send completes FAILED with the reason, and chat goes on. The text it
 * returns then passes through the outgoing interceptors like any typed message.
 *
 * @since 1.1
 */
@ConsumerType
public interface ChatCommand {

    /**
     * The name typed after the slash: letters, digits, {@code -} and {@code _}, matched without
     * regard to case, e.g. {@code me}.
     */
    String name();

    /** One line of help shown by {@code chat:commands} and the UI, e.g. {@code /me ACTION – tell what you do}. */
    String help();

    /**
     * Runs the command in the conversation with {@code peer}.
     *
     * @param peer the user the conversation is with
     * @param args what followed the name, trimmed; empty when nothing did
     * @return the text to send to {@code peer} in place of the command line; {@code null} or empty to
     *         send nothing (the send then completes DELIVERED with a reason saying the command ran)
     */
    String execute(String peer, String args);
}
