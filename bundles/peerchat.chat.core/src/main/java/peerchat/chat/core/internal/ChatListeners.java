package peerchat.chat.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import peerchat.api.chat.ChatListener;
import peerchat.api.dto.ChatMessage;

/**
 * Tells every registered {@link ChatListener}, in order, on a thread of its own: storing messages,
 * acknowledging them and sending never wait for a listener. Each call is timed out like the other
 * plugin calls ({@link TimedCalls}); a listener that blocks is skipped, named with its bundle in the
 * warning, until its call returns, and the other listeners go on. Events waiting for the listeners
 * are bounded: beyond {@link #MAX_WAITING} the newest are dropped and counted (the store still has
 * every message; only the notification is lost).
 */
final class ChatListeners implements AutoCloseable {

    static final int MAX_WAITING = 100_000;

    private final Supplier<List<ChatListener>> listeners;
    private final ProblemLog problems;
    private final TimedCalls calls;
    private final ThreadPoolExecutor dispatcher;
    private final AtomicLong dropped = new AtomicLong();

    ChatListeners(Supplier<List<ChatListener>> listeners, ProblemLog problems, Duration timeout) {
        this.listeners = listeners;
        this.problems = problems;
        this.calls = new TimedCalls("peerchat-chat-listener-call-", problems, timeout);
        this.dispatcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_WAITING), runnable -> {
                    Thread t = new Thread(runnable, "peerchat-chat-listeners");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Where problems are reported (also used by the engine for its own). */
    ProblemLog problems() {
        return problems;
    }

    /** Queues the change for the listeners and returns at once. */
    void messageChanged(ChatMessage message) {
        try {
            dispatcher.execute(() -> tell(message));
        } catch (RejectedExecutionException e) {
            if (!dispatcher.isShutdown() && dropped.incrementAndGet() % 10_000 == 1) {
                problems.warn("chat listeners are " + MAX_WAITING + " updates behind: " + dropped.get()
                        + " updates not passed on (the messages are stored)", null);
            }
        }
    }

    /** Updates not passed on because the listeners were too far behind. */
    long dropped() {
        return dropped.get();
    }

    /** Waits until everything queued so far was passed on (for tests and orderly shutdown). */
    boolean awaitIdle(Duration patience) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        while (dispatcher.getQueue().size() + dispatcher.getActiveCount() > 0) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    private void tell(ChatMessage message) {
        List<ChatListener> current = listeners.get();
        if (current == null) {
            return;
        }
        for (ChatListener listener : current) {
            calls.call(listener, "chat listener " + TimedCalls.describe(listener) + " (message " + message.id() + ")",
                    () -> {
                        listener.messageChanged(message);
                        return null;
                    });
        }
    }

    @Override
    public void close() {
        ExecutorService d = dispatcher;
        d.shutdown();
        try {
            d.awaitTermination(calls.timeout().toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        d.shutdownNow();
        calls.close();
    }
}
