package peerchat.shell.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import peerchat.api.chat.ChatService;
import peerchat.api.chat.UnknownUserException;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;

/** Answers each send with the outcome the test chose for that recipient (a pending stage if none). */
final class FakeChatService implements ChatService {

    record Sent(String to, String text) {
    }

    final List<Sent> sent = new ArrayList<>();
    final Map<String, CompletableFuture<DeliveryResult>> outcomes = new HashMap<>();
    final List<String> gone = new ArrayList<>();
    final List<ChatMessage> history = new ArrayList<>();
    int lastHistoryLimit;

    FakeChatService answer(String to, DeliveryResult result) {
        outcomes.put(to.toLowerCase(Locale.ROOT), CompletableFuture.completedFuture(result));
        return this;
    }

    @Override
    public CompletionStage<DeliveryResult> send(String to, String text) {
        if (gone.contains(to)) {
            throw new UnknownUserException(to);
        }
        sent.add(new Sent(to, text));
        return outcomes.computeIfAbsent(to.toLowerCase(Locale.ROOT), name -> new CompletableFuture<>());
    }

    @Override
    public List<ChatMessage> history(String peer, int limit) {
        lastHistoryLimit = limit;
        List<ChatMessage> with = history.stream()
                .filter(m -> m.from().equalsIgnoreCase(peer) || m.to().equalsIgnoreCase(peer))
                .toList();
        return with.subList(Math.max(0, with.size() - limit), with.size());
    }

    final List<Contact> contacts = new ArrayList<>();
    Optional<String> fault = Optional.empty();

    @Override
    public List<ChatMessage> history(String peer, long beforeId, int limit) {
        List<ChatMessage> with = history.stream()
                .filter(m -> m.id() < beforeId)
                .filter(m -> m.from().equalsIgnoreCase(peer) || m.to().equalsIgnoreCase(peer))
                .toList();
        return with.subList(Math.max(0, with.size() - limit), with.size());
    }

    @Override
    public List<ChatMessage> search(String text, String peer, int limit) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<ChatMessage> found = new ArrayList<>(history.stream()
                .filter(m -> m.text().toLowerCase(Locale.ROOT).contains(lower))
                .filter(m -> peer == null || m.from().equalsIgnoreCase(peer) || m.to().equalsIgnoreCase(peer))
                .toList());
        java.util.Collections.reverse(found);
        return found.subList(0, Math.min(limit, found.size()));
    }

    @Override
    public List<Contact> contacts() {
        return List.copyOf(contacts);
    }

    @Override
    public Optional<String> storeFault() {
        return fault;
    }
}
