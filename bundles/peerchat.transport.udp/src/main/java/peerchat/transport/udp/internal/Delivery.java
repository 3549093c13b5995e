package peerchat.transport.udp.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.Logger;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.transport.MessageListener;

/**
 * Hands accepted messages to the listeners on one dedicated thread, so messages reach listeners in
 * the order they arrived and a slow listener never blocks the receive thread. A listener that
 * throws is logged and the others still get the message. The queue itself is not bounded; the
 * receive window is: each queued message counts against its sender's window until delivered
 * ({@code backlog}), so a sender cannot queue more here than its window allows.
 */
final class Delivery {

    private final Iterable<MessageListener> listeners;
    private final TransportCounters counters;
    private final Logger logger;
    private final ThreadPoolExecutor thread;

    /** @param listeners read at each delivery, so a live (copy-on-write) list sees services come and go */
    Delivery(Iterable<MessageListener> listeners, String threadName, TransportCounters counters,
            Logger logger) {
        this.listeners = listeners;
        this.counters = counters;
        this.logger = logger;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                NamedThreads.named(threadName));
    }

    /** Queues a message; {@code backlog} drops by its size + 1 once delivered. False when stopped. */
    boolean offer(IncomingMessage message, AtomicLong backlog, long size) {
        try {
            thread.execute(() -> {
                try {
                    deliver(message);
                } finally {
                    backlog.addAndGet(-size);
                }
            });
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    int queued() {
        return thread.getQueue().size();
    }

    /** Lets queued messages reach the listeners for up to {@code millis}, then drops the rest; returns how many. */
    int stop(long millis) {
        thread.shutdown();
        try {
            if (thread.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                return 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return thread.shutdownNow().size();
    }

    private void deliver(IncomingMessage message) {
        for (MessageListener listener : listeners) {
            try {
                listener.messageReceived(message);
            } catch (RuntimeException | LinkageError e) {
                // One broken listener must not cost the others their message.
                counters.listenerFailures.incrementAndGet();
                logger.error("message listener {} failed on a message from {}: {}", listener.getClass().getName(),
                        message.from(), e.toString(), e);
            }
        }
    }
}
