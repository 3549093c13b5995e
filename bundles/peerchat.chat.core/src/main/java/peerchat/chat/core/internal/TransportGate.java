package peerchat.chat.core.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;
import peerchat.api.transport.MessageTransport;

/**
 * The transport as the chat engine sees it while the real one may come and go (hot swap): with a
 * transport bound, calls go straight to it; without one, sends wait in order until one is bound,
 * for at most {@code patience}, and then fail with {@link ChatEngine#TRANSPORT_MISSING} and the time
 * waited. Nothing is lost silently: every send completes exactly once.
 */
final class TransportGate implements MessageTransport, AutoCloseable {

    /** The address reported while no transport is bound. */
    static final PeerAddress NOWHERE = new PeerAddress("0.0.0.0", 0);

    private record Waiting(PeerAddress to, String text, boolean plain, CompletableFuture<DeliveryResult> result) {
    }

    private final AtomicReference<MessageTransport> current = new AtomicReference<>();
    private final Duration patience;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(); // guarded by itself
    private ScheduledExecutorService timer; // guarded by waiting
    private boolean closed; // guarded by waiting

    TransportGate(Duration patience) {
        this.patience = patience;
    }

    /** The real transport, or null. */
    MessageTransport current() {
        return current.get();
    }

    /** A transport arrived (or replaced the previous one): the waiting sends go to it, oldest first. */
    void bind(MessageTransport transport) {
        current.set(transport);
        flush();
    }

    /** Only forgets the transport if it is still the bound one (a greedy replacement binds first). */
    void unbind(MessageTransport transport) {
        current.compareAndSet(transport, null);
    }

    /** Sends waiting right now. */
    int waitingCount() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    @Override
    public PeerAddress localAddress() {
        MessageTransport t = current.get();
        return t != null ? t.localAddress() : NOWHERE;
    }

    @Override
    public TransportStats stats() {
        MessageTransport t = current.get();
        return t != null ? t.stats() : TransportStats.EMPTY;
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        return sendOrWait(to, text, false);
    }

    @Override
    public CompletionStage<DeliveryResult> sendPlain(PeerAddress to, String text) {
        return sendOrWait(to, text, true);
    }

    private CompletionStage<DeliveryResult> sendOrWait(PeerAddress to, String text, boolean plain) {
        synchronized (waiting) {
            MessageTransport t = current.get();
            // keep the order: while older sends wait, a new one waits behind them
            if (t != null && waiting.isEmpty()) {
                Waiting now = new Waiting(to, text, plain, new CompletableFuture<>());
                if (forwardOrKeep(t, now)) {
                    return now.result();
                }
                CompletionStage<DeliveryResult> queued = enqueue(now, false);
                if (current.get() != null) {
                    flushLater(); // already replaced
                }
                return queued;
            }
            if (closed) {
                return CompletableFuture.completedFuture(
                        new DeliveryResult(DeliveryStatus.FAILED, "chat core stopped"));
            }
            CompletionStage<DeliveryResult> queued = enqueue(new Waiting(to, text, plain, new CompletableFuture<>()), false);
            if (t != null) {
                flushLater();
            }
            return queued;
        }
    }

    /** Under the lock: waits for a transport, at the end of the queue or (a send that bounced) at its head. */
    private CompletionStage<DeliveryResult> enqueue(Waiting w, boolean first) {
        if (first) {
            waiting.addFirst(w);
        } else {
            waiting.add(w);
        }
        timer().schedule(() -> expire(w), patience.toMillis(), TimeUnit.MILLISECONDS);
        return w.result();
    }

    private void expire(Waiting w) {
        boolean removed;
        synchronized (waiting) {
            removed = waiting.remove(w);
        }
        if (removed) {
            w.result().complete(new DeliveryResult(DeliveryStatus.FAILED,
                    ChatEngine.TRANSPORT_MISSING + " (waited " + patience.toMillis() + " ms)"));
        }
    }

    private void flushLater() {
        try {
            timer().execute(this::flush);
        } catch (RejectedExecutionException e) {
            // closing: close() fails what waits
        }
    }

    private void flush() {
        while (true) {
            Waiting next;
            MessageTransport t;
            synchronized (waiting) {
                t = current.get();
                next = t == null ? null : waiting.poll();
                if (next == null) {
                    return;
                }
                // forwarded under the lock so a new send cannot overtake a waiting one
                if (!forwardOrKeep(t, next)) {
                    waiting.addFirst(next); // its deadline timer still runs
                    if (current.get() == null) {
                        return; // the next bind flushes again
                    }
                }
            }
        }
    }

    /**
     * Under the lock: hands a send to the transport and links its outcome to the waiting result.
     * A transport that throws instead of answering did not take the message; if it has meanwhile
     * been replaced or removed (a call racing its unbinding, e.g. its bundle's class loader already
     * closed), the send is kept for the next transport and false returned; otherwise it fails.
     */
    private boolean forwardOrKeep(MessageTransport t, Waiting w) {
        BiFunction<PeerAddress, String, CompletionStage<DeliveryResult>> how = w.plain() ? t::sendPlain : t::send;
        CompletionStage<DeliveryResult> outcome;
        try {
            outcome = how.apply(w.to(), w.text());
        } catch (RuntimeException | LinkageError e) {
            if (current.get() != t) {
                return false;
            }
            w.result().complete(new DeliveryResult(DeliveryStatus.FAILED,
                    e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            return true;
        }
        outcome.whenComplete((result, failure) -> {
            if (failure != null) {
                w.result().complete(new DeliveryResult(DeliveryStatus.FAILED,
                        failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName()));
            } else {
                w.result().complete(result);
            }
        });
        return true;
    }

    private ScheduledExecutorService timer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "peerchat-chat-send-queue");
                t.setDaemon(true);
                return t;
            });
        }
        return timer;
    }

    /** Fails every waiting send and stops the timer. */
    @Override
    public void close() {
        List<Waiting> left;
        ScheduledExecutorService t;
        synchronized (waiting) {
            closed = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        for (Waiting w : left) {
            w.result().complete(new DeliveryResult(DeliveryStatus.FAILED, "chat core stopped"));
        }
    }
}
