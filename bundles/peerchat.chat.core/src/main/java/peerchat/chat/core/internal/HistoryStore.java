package peerchat.chat.core.internal;

import java.util.List;

import peerchat.api.dto.ChatMessage;

/** Where conversation events are kept across restarts. */
interface HistoryStore {

    /** Keeps nothing: for a framework without a file system. */
    HistoryStore NONE = new HistoryStore() {
        @Override
        public List<ChatMessage> load() {
            return List.of();
        }

        @Override
        public void append(ChatMessage message) {
            // nothing is kept by design
        }

        @Override
        public void compactTo(List<ChatMessage> kept) {
            // nothing to compact
        }

        @Override
        public void close() {
            // nothing to release
        }
    };

    /** The latest state of every stored message, in the order they were first recorded. */
    List<ChatMessage> load();

    /** Records a new message or a new state of one; must not block on I/O. */
    void append(ChatMessage message);

    /** May drop everything but these messages (called once after load, with what memory keeps). */
    void compactTo(List<ChatMessage> kept);

    /** Finishes pending writes and releases the store. */
    void close();
}
