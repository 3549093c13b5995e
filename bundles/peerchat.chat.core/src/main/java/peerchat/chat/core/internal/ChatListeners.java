package peerchat.chat.core.internal;

import java.util.List;
import java.util.function.Supplier;

import peerchat.api.chat.ChatListener;
import peerchat.api.dto.ChatMessage;

/** Tells every registered {@link ChatListener}; one failing listener does not stop the others. */
final class ChatListeners {

    private final Supplier<List<ChatListener>> listeners;
    private final ProblemLog problems;

    ChatListeners(Supplier<List<ChatListener>> listeners, ProblemLog problems) {
        this.listeners = listeners;
        this.problems = problems;
    }

    /** Where problems are reported (also used by the engine for its own). */
    ProblemLog problems() {
        return problems;
    }

    void messageChanged(ChatMessage message) {
        List<ChatListener> current = listeners.get();
        if (current == null) {
            return;
        }
        for (ChatListener listener : current) {
            try {
                listener.messageChanged(message);
            } catch (RuntimeException e) {
                problems.warn("chat listener " + listener.getClass().getName() + " failed on message "
                        + message.id(), e);
            }
        }
    }
}
