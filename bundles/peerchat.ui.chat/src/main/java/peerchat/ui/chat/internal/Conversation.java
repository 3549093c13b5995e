package peerchat.ui.chat.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

import peerchat.api.dto.ChatMessage;

/**
 * The messages exchanged with one peer as the Conversations view shows them: ordered by id, an
 * update of a message (its delivery state) replaces it; plus the view's own notes (e.g. a send that
 * was refused). Not thread-safe: the UI thread owns it.
 */
final class Conversation {

    /** A line the view adds itself, shown after the messages that existed when it was added. */
    record Note(long afterId, String text) {
    }

    private final String peer;
    private final TreeMap<Long, ChatMessage> messages = new TreeMap<>();
    private final List<Note> notes = new ArrayList<>();
    private int unread;

    Conversation(String peer) {
        this.peer = peer;
    }

    String peer() {
        return peer;
    }

    /** @return true when the message is new (not an update of one already here) */
    boolean apply(ChatMessage message) {
        return messages.put(message.id(), message) == null;
    }

    /** Adds older messages from the history; newer states already here win. */
    void addHistory(Collection<ChatMessage> history) {
        for (ChatMessage message : history) {
            messages.putIfAbsent(message.id(), message);
        }
    }

    void note(String text) {
        notes.add(new Note(messages.isEmpty() ? 0 : messages.lastKey(), text));
    }

    List<ChatMessage> messages() {
        return List.copyOf(messages.values());
    }

    List<Note> notes() {
        return List.copyOf(notes);
    }

    int unread() {
        return unread;
    }

    void markUnread() {
        unread++;
    }

    void markRead() {
        unread = 0;
    }

    /** Which conversation a message belongs to: the other side. */
    static String peerOf(ChatMessage message) {
        return message.outgoing() ? message.to() : message.from();
    }

    /** "bob" or "bob (3)". */
    String tabTitle() {
        return unread == 0 ? peer : peer + " (" + unread + ")";
    }
}
