package peerchat.chat.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import peerchat.api.dto.ChatMessage;

/** The recent messages of each conversation in memory, at most a fixed number per peer. */
final class Conversations {

    private final int limitPerPeer;
    private final Map<String, List<ChatMessage>> byPeer = new HashMap<>();

    Conversations(int limitPerPeer) {
        if (limitPerPeer < 1) {
            throw new IllegalArgumentException("limit per peer must be at least 1: " + limitPerPeer);
        }
        this.limitPerPeer = limitPerPeer;
    }

    /** Names are unique ignoring case, so conversations are too. */
    static String key(String peer) {
        return peer.toLowerCase(Locale.ROOT);
    }

    /** The other side of a message: its recipient when we sent it, its sender otherwise. */
    static String peerOf(ChatMessage message) {
        return message.outgoing() ? message.to() : message.from();
    }

    synchronized void add(ChatMessage message) {
        List<ChatMessage> messages = byPeer.computeIfAbsent(key(peerOf(message)), peer -> new ArrayList<>());
        messages.add(message);
        if (messages.size() > limitPerPeer) {
            messages.remove(0);
        }
    }

    /** Replaces the message with the same id; does nothing when it has already been dropped. */
    synchronized void replace(ChatMessage message) {
        List<ChatMessage> messages = byPeer.getOrDefault(key(peerOf(message)), List.of());
        // updates concern recent messages, so search from the newest end
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).id() == message.id()) {
                messages.set(i, message);
                return;
            }
        }
    }

    /** The last {@code limit} messages with that peer, oldest first. */
    synchronized List<ChatMessage> last(String peer, int limit) {
        List<ChatMessage> messages = byPeer.getOrDefault(key(peer), List.of());
        return List.copyOf(messages.subList(Math.max(0, messages.size() - limit), messages.size()));
    }

    /** Everything kept, by id. */
    synchronized List<ChatMessage> all() {
        List<ChatMessage> all = new ArrayList<>();
        byPeer.values().forEach(all::addAll);
        all.sort(Comparator.comparingLong(ChatMessage::id));
        return all;
    }
}
