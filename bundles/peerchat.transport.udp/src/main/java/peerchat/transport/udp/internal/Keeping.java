package peerchat.transport.udp.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.osgi.service.log.Logger;

import peerchat.api.transport.MessageKeeper;

/**
 * Offers complete reliable messages to the bound {@link MessageKeeper}, one {@code keep()} call at a
 * time (a lock), in stream order per sender. The receive thread calls {@code keep()} itself, right
 * after the packet that completed a message and before that packet's ACK is built
 * ({@link #offerNow}): a keeper that completes at once (a duplicate, a memory store) is then
 * acknowledged by that very ACK. The keeper thread makes the other calls: when the receive thread
 * finds the lock taken or keepers have lately been slow, retries after a failure (with backoff,
 * started by the timer) and everything not kept when a new keeper is bound. A call that holds the
 * receive thread more than {@link #SLOW_CALL_NANOS} ({@link #SLOW_CALLS} times in a row) sends calls to the keeper thread
 * for {@link Delivery#SLOW_PAUSE_NANOS}; one that holds it past {@link Delivery#STALL_NANOS} makes the
 * engine receive on a new thread, exactly as for listeners ({@link #stalledSince}).
 * <p>
 * A stage that completes later (on any thread) moves the session's cumulative ACK; the ACK then
 * leaves from the keeper thread, once for all stages completed meanwhile, and the kept messages go
 * to the listeners ({@link Delivery}).
 * A stage that fails, a {@code keep()} that throws and offers to a keeper that has been replaced or
 * unbound are offered again: never dropped, never acknowledged without being kept.
 */
final class Keeping {

    private static final long BIND_WAIT_MILLIS = 2000;
    /**
     * A keep() call on the receive thread longer than this is slow; {@link #SLOW_CALLS} slow calls in
     * a row send the calls to the keeper thread for {@link Delivery#SLOW_PAUSE_NANOS}. A keeper's
     * call is meant to take microseconds (it hands the work on); the bar sits far above what a first
     * call loading classes, a preempted thread or a GC pause on a busy machine costs, so that those
     * do not move the calls (after which an ACK would go out before the keep, and again after it).
     */
    static final long SLOW_CALL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final int SLOW_CALLS = 3;

    private final UdpTransportEngine engine;
    private final Logger logger;
    private final LongSupplier clock;
    private final ReentrantLock calling = new ReentrantLock();
    private final ThreadPoolExecutor thread;
    private final Set<ReceiveSession> handedOver = ConcurrentHashMap.newKeySet();
    private final Set<ReceiveSession> ackOwed = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean ackScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final WarningThrottle failureWarnings = new WarningThrottle();
    private volatile MessageKeeper keeper;
    /** The thread inside {@code keep()} now: a stage completed on it completed during the call. */
    private volatile Thread caller;
    /** Start of the receive thread's current call, 0 outside one; ends under {@code turnEnd}. */
    private volatile long turnStartedNanos;
    private final Object turnEnd = new Object();
    private volatile long receiveCallsPausedUntil;
    private volatile boolean receiveCallsPaused;
    /** Slow calls in a row on the receive thread; guarded by {@code calling}. */
    private int slowCalls;

    Keeping(UdpTransportEngine engine, String threadName, Logger logger, LongSupplier clock) {
        this.engine = engine;
        this.logger = logger;
        this.clock = clock;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                NamedThreads.named(threadName));
    }

    MessageKeeper keeper() {
        return keeper;
    }

    /**
     * Binds a keeper (null: none). Offers made to the previous one no longer count: what it has not
     * kept yet is offered to the new one, in order (nothing while none is bound).
     */
    void keeper(MessageKeeper newKeeper, Iterable<ReceiveSession> sessions) {
        boolean locked = false;
        try {
            // No call to the old keeper may be half-way (messages taken, keep() not called yet) while
            // offers are forgotten; keep() returns at once, so this waits for a moment at most.
            locked = calling.tryLock(BIND_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            logger.warn("a keep() call has not returned for {} ms; switching keepers anyway", BIND_WAIT_MILLIS);
        }
        try {
            synchronized (this) {
                if (newKeeper == keeper) {
                    return;
                }
                keeper = newKeeper;
                for (ReceiveSession session : sessions) {
                    session.forgetOffers();
                }
            }
        } finally {
            if (locked) {
                calling.unlock();
            }
        }
        if (newKeeper != null) {
            for (ReceiveSession session : sessions) {
                offerLater(session);
            }
        }
    }

    /**
     * Receive thread, after a packet completed messages of {@code session}: offers them now, unless
     * another thread is calling the keeper or keepers have been slow (then the keeper thread does).
     */
    void offerNow(ReceiveSession session) {
        if (keeper == null) {
            return;
        }
        long start = clock.getAsLong();
        if (receiveCallsPaused && start - receiveCallsPausedUntil < 0) {
            offerLater(session);
            return;
        }
        receiveCallsPaused = false;
        if (!calling.tryLock()) {
            offerLater(session);
            return;
        }
        try {
            turnStartedNanos = start;
            offer(session, true);
        } finally {
            synchronized (turnEnd) {
                turnStartedNanos = 0;
            }
            calling.unlock();
        }
    }

    /** Has the keeper thread offer what {@code session} has to offer (and send the ACK that may follow). */
    void offerLater(ReceiveSession session) {
        if (keeper == null || !handedOver.add(session)) {
            return;
        }
        try {
            thread.execute(() -> keeperThreadTurn(session));
        } catch (RejectedExecutionException stopped) {
            handedOver.remove(session);
        }
    }

    private void keeperThreadTurn(ReceiveSession session) {
        handedOver.remove(session);
        try {
            engine.seam("keeper");
            calling.lock();
            try {
                offer(session, false);
            } finally {
                calling.unlock();
            }
            engine.afterKept(session);
        } catch (Throwable t) {
            // Never lose the keeper thread's work: anything not offered is offered again later.
            engine.threadFailed(t, this::retryAll);
            if (t instanceof Error error) {
                throw error; // the executor replaces this thread
            }
        }
    }

    /** After a failure of the keeper thread: every session looks again (from a fresh thread). */
    private void retryAll() {
        for (ReceiveSession session : engine.receiveSessions()) {
            if (session.hasUnoffered()) {
                offerLater(session);
            }
        }
    }

    /** Calls {@code keep()} for every message the session has to offer now, in order; under {@code calling}. */
    private void offer(ReceiveSession session, boolean onReceiveThread) {
        MessageKeeper current = keeper;
        if (current == null) {
            return;
        }
        List<ReceiveSession.Offer> offers = session.takeOffers(clock.getAsLong());
        for (ReceiveSession.Offer offer : offers) {
            long callStart = clock.getAsLong();
            CompletionStage<?> stage;
            caller = Thread.currentThread();
            try {
                stage = current.keep(offer.entry().message);
                if (stage == null) {
                    throw new NullPointerException("keep() returned null");
                }
                stage.whenComplete((ignored, failure) -> completed(session, offer, failure));
            } catch (RuntimeException | LinkageError e) {
                completed(session, offer, e);
            } finally {
                caller = null;
            }
            if (onReceiveThread) {
                if (clock.getAsLong() - callStart <= SLOW_CALL_NANOS) {
                    slowCalls = 0;
                } else if (++slowCalls >= SLOW_CALLS) {
                    slowCalls = 0;
                    receiveCallsPausedUntil = clock.getAsLong() + Delivery.SLOW_PAUSE_NANOS;
                    receiveCallsPaused = true;
                }
            }
        }
    }

    /**
     * A stage completed. If that moved the session's cumulative ACK and it happened outside our
     * {@code keep()} call (the keeper finished its work elsewhere), the ACK and the listeners' turn
     * are started from here; otherwise the thread that made the call does it.
     */
    private void completed(ReceiveSession session, ReceiveSession.Offer offer, Throwable failure) {
        boolean moved = session.kept(offer, failure, clock.getAsLong());
        if (failure != null) {
            warnFailure(session, offer, failure);
            engine.activity(); // the timer retries after the backoff
        }
        if (moved && Thread.currentThread() != caller) {
            ackSoon(session);
        }
    }

    /**
     * The ACK (and the listeners' turn) for stages completed outside a {@code keep()} call goes out
     * from the keeper thread, once for everything completed meanwhile: a keeper completes a whole
     * commit's stages in one loop (a thousand of them), and one ACK per stage from its thread made
     * the ACKs the bottleneck of durable throughput.
     */
    private void ackSoon(ReceiveSession session) {
        ackOwed.add(session);
        if (ackScheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::sendOwedAcks);
            } catch (RejectedExecutionException stopped) {
                ackScheduled.set(false);
                sendOwedAcks();
            }
        }
    }

    private void sendOwedAcks() {
        ackScheduled.set(false); // a stage completing from here on schedules again, or is seen below
        try {
            for (ReceiveSession session : ackOwed) {
                ackOwed.remove(session);
                engine.afterKept(session);
            }
        } catch (Throwable t) {
            engine.threadFailed(t, () -> ackOwed.forEach(engine::afterKept));
            if (t instanceof Error error) {
                throw error; // the executor replaces this thread
            }
        }
    }

    private void warnFailure(ReceiveSession session, ReceiveSession.Offer offer, Throwable failure) {
        long heldBack = failureWarnings.tryWarn();
        String reason = failure.toString();
        if (heldBack < 0) {
            logger.debug("keeper could not keep a message from {} now (will offer it again): {}", session.peer,
                    reason);
        } else {
            logger.warn("keeper could not keep a message from {} now (will offer it again): {}{}", session.peer,
                    reason, heldBack > 0 ? " (" + heldBack + " similar warnings held back)" : "");
        }
    }

    /** Timer: sessions with messages whose retry time has come go to the keeper thread. */
    void retryDue(ReceiveSession session, long now) {
        if (keeper != null && session.hasDueRetry(now)) {
            offerLater(session);
        }
    }

    // --- stalls of the receive thread (as in Delivery) -----------------------------------------

    long stalledSince(long now) {
        long since = turnStartedNanos;
        return since == 0 || now - since <= Delivery.STALL_NANOS ? 0 : since;
    }

    boolean takeOverIfStillStalled(long since, Runnable takeOver) {
        synchronized (turnEnd) {
            if (since == 0 || turnStartedNanos != since) {
                return false;
            }
            takeOver.run();
            turnStartedNanos = 0;
            receiveCallsPausedUntil = clock.getAsLong() + Delivery.STALL_PAUSE_NANOS;
            receiveCallsPaused = true;
            return true;
        }
    }

    void stop(long millis) {
        thread.shutdown();
        try {
            thread.awaitTermination(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.shutdownNow();
    }
}
