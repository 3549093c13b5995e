package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.log.Logger;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageListener;

/**
 * The reliable UDP transport without OSGi: construct it on a {@link DatagramIo}, {@link #start()},
 * {@link #send} and {@link #close()}. Threads: one receive thread, one delivery thread (listeners,
 * in arrival order) and one scheduler that owns all sending state (first transmission,
 * retransmission, timeouts, ACK matching). Send results complete on the scheduler thread (refusals
 * on the caller's thread, "transport stopped" on the closing thread), so non-async callbacks on
 * them should be short.
 */
final class UdpTransportEngine implements AutoCloseable {

    static final String STOPPED = "transport stopped";
    private static final long STOP_WAIT_MILLIS = 2000;

    private final DatagramIo io;
    private final int sessionId;
    private final Logger logger;
    private final TransportCounters counters = new TransportCounters();
    private final ScheduledThreadPoolExecutor scheduler;
    private final Outbox outbox;
    private final Delivery delivery;
    private final Receiver receiver;
    private final Thread receiveThread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param listeners read for every message, so a live copy-on-write list sees services come and go
     */
    UdpTransportEngine(DatagramIo io, TransportSettings settings, Iterable<MessageListener> listeners, Logger logger) {
        this.io = io;
        this.logger = logger;
        // Random per run, so a restarted peer's ids (which start at 1 again) are not taken for duplicates.
        this.sessionId = new SecureRandom().nextInt();
        int port = io.localAddress().getPort();
        this.scheduler = new ScheduledThreadPoolExecutor(1, NamedThreads.named("peerchat-udp-" + port + "-scheduler"));
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.outbox = new Outbox(io, sessionId, settings, scheduler, counters, logger);
        this.delivery = new Delivery(listeners, Delivery.DEFAULT_CAPACITY, "peerchat-udp-" + port + "-delivery",
                counters, logger);
        this.receiver = new Receiver(io, sessionId, new DuplicateFilter(), delivery, outbox, scheduler, counters,
                logger, Clock.systemUTC());
        this.receiveThread = NamedThreads.named("peerchat-udp-" + port + "-receive").newThread(receiver);
    }

    void start() {
        if (closed.get()) {
            throw new IllegalStateException("engine already closed");
        }
        if (started.compareAndSet(false, true)) {
            receiveThread.start();
        }
    }

    PeerAddress localAddress() {
        InetSocketAddress local = io.localAddress();
        return new PeerAddress(local.getAddress().getHostAddress(), local.getPort());
    }

    int sessionId() {
        return sessionId;
    }

    TransportStats stats() {
        return counters.snapshot();
    }

    /**
     * Sends one message; the result completes exactly once and this never throws for a bad
     * destination, an oversized text or a stopped transport (they complete FAILED with a reason).
     * Resolving a host name happens on the calling thread.
     */
    CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
        PendingSend send = prepare(to, text);
        if (send.result.isDone()) {
            return send.result.minimalCompletionStage();
        }
        // Register before checking closed; close() sets closed before failing the registered ones,
        // so every send is either refused here or failed there.
        outbox.register(send);
        if (closed.get()) {
            outbox.complete(send, Outbox.failure(STOPPED));
        } else {
            try {
                scheduler.execute(() -> outbox.admit(send));
            } catch (RejectedExecutionException e) {
                outbox.complete(send, Outbox.failure(STOPPED));
            }
        }
        return send.result.minimalCompletionStage();
    }

    /** Checks everything that can be refused at once; a refused send comes back already completed. */
    private PendingSend prepare(PeerAddress to, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        String host = to.host();
        if (host == null || host.isBlank()) {
            return refused(to, utf8, "invalid address " + to + ": no host");
        }
        if (to.port() < 1 || to.port() > 65535) {
            return refused(to, utf8, "invalid address " + to + ": port must be 1..65535");
        }
        if (utf8.length > FrameCodec.MAX_TEXT_BYTES) {
            return refused(to, utf8,
                    "message too large: " + utf8.length + " bytes (max " + FrameCodec.MAX_TEXT_BYTES + ")");
        }
        if (closed.get()) {
            return refused(to, utf8, STOPPED);
        }
        InetSocketAddress target;
        try {
            target = new InetSocketAddress(InetAddress.getByName(host), to.port());
        } catch (UnknownHostException e) {
            return refused(to, utf8, "unknown host " + host);
        }
        return new PendingSend(to, target, utf8);
    }

    private PendingSend refused(PeerAddress to, byte[] utf8, String reason) {
        PendingSend send = new PendingSend(to, null, utf8);
        outbox.complete(send, Outbox.failure(reason));
        return send;
    }

    /** Stops the threads, fails every unfinished send with "transport stopped" and closes the channel. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        InetSocketAddress local = io.localAddress();
        long failedBefore = counters.failed.get();
        receiver.stop();
        outbox.stop();
        // Drops every queued retransmission and timeout; lets a running task finish (no interrupt,
        // which would close the channel under it).
        scheduler.shutdown();
        boolean interrupted = false;
        try {
            if (!scheduler.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                logger.warn("UDP transport scheduler did not stop within {} ms (a send callback is still running)",
                        STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            io.close(); // wakes the receive thread
        } catch (IOException e) {
            logger.warn("closing UDP channel {} failed: {}", local, e.toString(), e);
        }
        try {
            receiveThread.join(interrupted ? 1 : STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        int undelivered = delivery.stop(interrupted ? 0 : STOP_WAIT_MILLIS);
        outbox.failAllUnsettled(STOPPED);
        long failed = counters.failed.get() - failedBefore;
        logger.info("UDP transport on {} stopped: {} unfinished sends failed, {} received messages not delivered",
                local, failed, undelivered);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
