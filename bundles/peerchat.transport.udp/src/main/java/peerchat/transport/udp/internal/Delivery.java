package peerchat.transport.udp.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.osgi.service.log.Logger;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.transport.MessageListener;

/**
 * Hands accepted messages to the listeners, one message at a time, in the order they were accepted.
 * Messages wait in one queue; whoever holds the {@code delivering} lock takes them from it, so no
 * listener is ever called for two messages at once or out of order.
 * <p>
 * Two threads deliver. The receive thread, when it is about to wait for the next datagram, takes a
 * short turn itself ({@link #deliverBeforeWaiting}): waking a second thread for every message costs
 * more than a fast listener (on two cores the woken thread competes with the one handling the next
 * datagram). Its turn ends after {@link #TURN_NANOS}; what is left, and everything while listeners
 * have lately been slow, goes to the delivery thread. A listener call that holds the receive thread
 * past {@link #STALL_NANOS} is a stall: the engine starts a new receive thread ({@link #stalledSince})
 * and the stuck one leaves once the listener returns. A listener that throws is logged and the
 * others still get the message. The queue is not bounded; the receive window is: each queued
 * message counts against its sender's window until delivered ({@code backlog}).
 */
final class Delivery {

    /** How long the receive thread may spend calling listeners before it hands over. */
    static final long TURN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** One listener call longer than this keeps the receive thread out of delivery for {@link #SLOW_PAUSE_NANOS}. */
    static final long SLOW_CALL_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    static final long SLOW_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A listener call on the receive thread this long makes the engine receive on a new thread:
     * far above a fast listener, and above the time slices a busy machine takes from a thread.
     */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    static final long STALL_PAUSE_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** A message with the window accounting it releases once delivered ({@code count} may be null). */
    private record Queued(IncomingMessage message, AtomicLong backlog, long size, AtomicInteger count) {
    }

    /** Called with "delivery" when the delivery thread starts a turn (tests inject failures here). */
    volatile Consumer<String> seam = where -> {
    };
    /** Told about a Throwable that escaped the delivery thread's work (logs it); the thread is then replaced. */
    volatile Consumer<Throwable> threadFailed;

    private final Iterable<MessageListener> listeners;
    private final TransportCounters counters;
    private final Logger logger;
    private final LongSupplier clock;
    private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock delivering = new ReentrantLock();
    private final AtomicBoolean handedOver = new AtomicBoolean();
    private final ThreadPoolExecutor thread;
    /** Start of the receive thread's current turn, 0 outside one; ends under {@code turnEnd}. */
    private volatile long turnStartedNanos;
    private final Object turnEnd = new Object();
    private volatile long receiveTurnsPausedUntil;
    private volatile boolean turnsPaused;
    /** Set by {@link #stop} when its time is up: nobody takes another message off the queue. */
    private volatile boolean dropping;

    /** @param listeners read at each delivery, so a live (copy-on-write) list sees services come and go */
    Delivery(Iterable<MessageListener> listeners, String threadName, TransportCounters counters, Logger logger,
            LongSupplier clock) {
        this.listeners = listeners;
        this.counters = counters;
        this.logger = logger;
        this.clock = clock;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                NamedThreads.named(threadName));
    }

    /** Queues a message; {@code backlog} drops by {@code size} once it was delivered (or dropped at stop). */
    void offer(IncomingMessage message, AtomicLong backlog, long size) {
        offer(message, backlog, size, null);
    }

    /** As {@link #offer(IncomingMessage, AtomicLong, long)}; {@code count}, if not null, drops by one as well. */
    void offer(IncomingMessage message, AtomicLong backlog, long size, AtomicInteger count) {
        queue.add(new Queued(message, backlog, size, count));
    }

    /** From a thread that is not about to call {@link #deliverBeforeWaiting}: the delivery thread takes what is queued. */
    void deliverSoon() {
        if (!queue.isEmpty()) {
            handOver();
        }
    }

    /**
     * The receive thread's turn, taken just before it waits for the next datagram (after its ACKs
     * went out and its send receipts completed): delivers queued messages for up to
     * {@link #TURN_NANOS} unless listeners have been slow lately or the delivery thread is at it,
     * and hands the rest to the delivery thread.
     */
    void deliverBeforeWaiting() {
        if (queue.isEmpty()) {
            return;
        }
        long start = clock.getAsLong();
        if (!turnsPaused || start - receiveTurnsPausedUntil >= 0) {
            turnsPaused = false;
            if (delivering.tryLock()) {
                try {
                    turnStartedNanos = start;
                    receiveThreadTurn(start);
                } finally {
                    synchronized (turnEnd) {
                        turnStartedNanos = 0;
                    }
                    delivering.unlock();
                }
            }
        }
        if (!queue.isEmpty()) {
            handOver();
        }
    }

    private void receiveThreadTurn(long start) {
        Queued next;
        long callStart = start;
        while (!dropping && (next = queue.poll()) != null) {
            deliver(next);
            long now = clock.getAsLong();
            if (now - callStart > SLOW_CALL_NANOS) {
                pauseTurns(now, SLOW_PAUSE_NANOS);
                return;
            }
            if (now - start > TURN_NANOS || turnsPaused) {
                return; // time is up, or the stall check paused turns while this call ran
            }
            callStart = now;
        }
    }

    private void pauseTurns(long now, long pause) {
        receiveTurnsPausedUntil = now + pause;
        turnsPaused = true;
    }

    /**
     * When the receive thread has been inside a listener for more than {@link #STALL_NANOS}: the
     * start of its turn; otherwise 0.
     */
    long stalledSince(long now) {
        long since = turnStartedNanos;
        return since == 0 || now - since <= STALL_NANOS ? 0 : since;
    }

    /**
     * Runs {@code takeOver} if the receive thread's turn that began at {@code since} is still going
     * on, atomically with the turn's end: a receive thread whose turn ends after this ran sees that it
     * was replaced before it could read the socket again. Turns then pause for
     * {@link #STALL_PAUSE_NANOS}, which also ends the stuck thread's turn after its call.
     */
    boolean takeOverIfStillStalled(long since, Runnable takeOver) {
        synchronized (turnEnd) {
            if (since == 0 || turnStartedNanos != since) {
                return false;
            }
            takeOver.run();
            turnStartedNanos = 0; // one take-over per stall: the stuck thread is no longer the receiver
            pauseTurns(clock.getAsLong(), STALL_PAUSE_NANOS);
            return true;
        }
    }

    private void handOver() {
        if (handedOver.compareAndSet(false, true)) {
            try {
                thread.execute(this::deliveryThreadTurn);
            } catch (RejectedExecutionException stopped) {
                handedOver.set(false); // stop() delivers or counts what is left
            }
        }
    }

    /** The delivery thread: everything queued, waiting for the lock if the receive thread has a turn. */
    private void deliveryThreadTurn() {
        handedOver.set(false); // a message queued from here on hands over again, or is seen below
        Throwable failure = null;
        delivering.lock();
        try {
            seam.accept("delivery");
            Queued next;
            while (!dropping && (next = queue.poll()) != null) {
                deliver(next);
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            delivering.unlock();
        }
        if (failure != null) {
            Consumer<Throwable> handler = threadFailed;
            if (handler != null) {
                handler.accept(failure);
            } else {
                logger.error("delivery thread {} failed", Thread.currentThread().getName(), failure);
            }
            handOver(); // the rest of the queue, taken by the thread that replaces this one
            if (failure instanceof Error error) {
                throw error; // the executor replaces this thread
            }
        }
    }

    int queued() {
        return queue.size();
    }

    /** Lets queued messages reach the listeners for up to {@code millis}, then drops the rest; returns how many. */
    int stop(long millis) {
        handOver();
        thread.shutdown();
        try {
            thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropping = true;
        thread.shutdownNow();
        int dropped = 0;
        Queued left;
        while ((left = queue.poll()) != null) {
            release(left);
            dropped++;
        }
        return dropped;
    }

    private void deliver(Queued queued) {
        try {
            for (MessageListener listener : listeners) {
                try {
                    listener.messageReceived(queued.message());
                } catch (RuntimeException | LinkageError e) {
                    // One broken listener must not cost the others their message.
                    counters.listenerFailures.incrementAndGet();
                    logger.error("message listener {} failed on a message from {}: {}",
                            listener.getClass().getName(), queued.message().from(), e.toString(), e);
                }
            }
        } finally {
            release(queued);
        }
    }

    private static void release(Queued queued) {
        queued.backlog().addAndGet(-queued.size());
        if (queued.count() != null) {
            queued.count().decrementAndGet();
        }
    }
}
