package peerchat.api.chat;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;

/**
 * Conversations by user name: resolves names through the roster, sends over the transport and
 * keeps the history. New and updated messages go to every registered {@link ChatListener}.
 */
@ProviderType
public interface ChatService {

    /**
     * Sends text to one online user. Since 1.1 the text first meets the plugins: a text starting
     * with {@code /} runs that {@link ChatCommand} instead ({@code //} sends one {@code /}), and what
     * is sent passes the outgoing {@link MessageInterceptor}s, which may stop it (FAILED, "stopped by
     * ..."). While no transport is there (being replaced) the send waits a while for the next one.
     *
     * @throws UnknownUserException when nobody of that name is online (or not logged in)
     * @throws IllegalArgumentException for an unknown {@code /command}
     */
    CompletionStage<DeliveryResult> send(String to, String text);

    /** The last {@code limit} messages exchanged with that user, oldest first. */
    List<ChatMessage> history(String peer, int limit);
}
