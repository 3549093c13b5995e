package peerchat.roster.client.internal;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import peerchat.api.dto.RosterEvent;
import peerchat.api.roster.RosterListener;
import peerchat.roster.protocol.log.Log;

/**
 * Delivers roster events to the listeners on one thread, in the order they were dispatched, so
 * no listener ever sees LEFT before the JOINED it belongs to. A failing listener is logged and
 * the others still get the event.
 */
public final class EventDispatcher implements AutoCloseable {

    private final Log log;
    private final Supplier<? extends Collection<RosterListener>> listeners;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "peerchat-roster-events");
        t.setDaemon(true);
        return t;
    });

    /** @param listeners the current listeners, asked for each event (may return null: none) */
    public EventDispatcher(Log log, Supplier<? extends Collection<RosterListener>> listeners) {
        this.log = log;
        this.listeners = listeners;
    }

    /** Queues the event; returns at once. */
    public void dispatch(RosterEvent event) {
        try {
            thread.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            log.debug("roster event " + event.kind() + " dropped: the client is shutting down");
        }
    }

    private void deliver(RosterEvent event) {
        Collection<RosterListener> current = listeners.get();
        for (RosterListener listener : current == null ? List.<RosterListener>of() : current) {
            try {
                listener.rosterChanged(event);
            } catch (RuntimeException e) {
                log.error("roster listener " + listener.getClass().getName() + " failed on " + event.kind()
                        + ": " + e, e);
            }
        }
    }

    /** Delivers what is queued (waiting at most 2 s), then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                log.warn("roster listeners still busy after 2 s; not waiting for them");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
