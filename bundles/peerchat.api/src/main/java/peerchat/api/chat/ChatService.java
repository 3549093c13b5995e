package peerchat.api.chat;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import java.util.Optional;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;

/**
 * Conversations by user name: resolves names through the roster, sends over the transport and
 * keeps the history. New and updated messages go to every registered {@link ChatListener}.
 */
@ProviderType
public interface ChatService {

    /**
     * Sends text to one user. The message is stored first; since 1.2 a known contact who is offline
     * (in the history or seen in the roster) gets it later: the stage completes QUEUED and the
     * message goes out, in order, when they are seen online again (also after restarts). The stage
     * completes once, with the first settled outcome (DELIVERED, SENT, QUEUED or FAILED); later
     * changes of a queued message reach the {@link ChatListener}s.
     * <p>
     * Sends text to one online user. Since 1.1 the text first meets the plugins: a text starting
     * with {@code /} runs that {@link ChatCommand} instead ({@code //} sends one {@code /}), and what
     * is sent passes the outgoing {@link MessageInterceptor}s, which may stop it (FAILED, "stopped by
     * ..."). While no transport is there (being replaced) the send waits a while for the next one.
     *
     * @throws UnknownUserException when nobody of that name is online or a known contact
     * @throws IllegalArgumentException for an unknown {@code /command}
     */
    CompletionStage<DeliveryResult> send(String to, String text);

    /** The last {@code limit} messages exchanged with that user, oldest first. */
    List<ChatMessage> history(String peer, int limit);

    /**
     * Up to {@code limit} messages with that user older than the message {@code beforeId} (use
     * {@link Long#MAX_VALUE} for the newest), oldest first: to page back through a conversation.
     *
     * @since 1.2
     */
    List<ChatMessage> history(String peer, long beforeId, int limit);

    /**
     * Messages whose text contains {@code text}, ignoring case, with {@code peer} only when it is not
     * null; newest first, at most {@code limit}.
     *
     * @since 1.2
     */
    List<ChatMessage> search(String text, String peer, int limit);

    /** Everyone you have chatted with or seen online, by name, with their presence now. @since 1.2 */
    List<Contact> contacts();

    /**
     * Why messages cannot be stored right now (disk full, read-only store, no store), as a sentence
     * for the user; empty while they can. While this is set, incoming messages are not acknowledged
     * (their senders keep them pending) and sends fail.
     *
     * @since 1.2
     */
    Optional<String> storeFault();
}
