package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.osgi.service.log.Logger;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;
import peerchat.api.dto.TransportStats.PeerStats;
import peerchat.api.transport.MessageKeeper;
import peerchat.api.transport.MessageListener;

/**
 * The reliable UDP transport without OSGi: construct it on a {@link DatagramIo}, {@link #start()},
 * {@link #send} and {@link #close()}. Per peer address there is a {@link SendSession} (our stream to
 * the peer) and a {@link ReceiveSession} (the peer's stream to us), each guarded by its own lock.
 * Threads: the receive thread (decodes, updates sessions, acknowledges at once what asks for it
 * and the rest after draining the socket, completes sends on ACK, and calls fast listeners just
 * before it waits again), a tick thread (retransmission timers, deadlines, keep-alives, delayed
 * ACKs, expiry, replacing a receive thread a listener stalls) and a delivery thread (listeners when
 * there is more to deliver or they are slow); {@link Delivery} keeps listeners in arrival order.
 * Reliable messages reach the listeners only after the bound {@link MessageKeeper} kept them, and
 * a stream's cumulative ACK never passes a packet that ends a message not yet kept ("delivered means
 * stored", {@link Keeping}: the receive thread calls keep() itself, a keeper thread makes the calls
 * it hands over, retries and re-offers to a new keeper). Sources the keeper does not know are held
 * to the stranger limits ({@link Strangers}). A Throwable escaping any of these threads' work is
 * logged and the thread replaced ({@link #threadFailed}).
 * Datagrams of a send session go out after its lock is released ({@link SendSession#flush()}); a
 * DATA leaving for a peer we owe an ACK carries that ACK, if the peer announced it takes included
 * ACKs. Send results complete on the receive or tick thread (refusals on the caller's), so
 * non-async callbacks should be short. Header-less text datagrams (the original application's chat
 * messages) go to the listeners marked plain ({@link PlainDatagram}).
 */
final class UdpTransportEngine implements AutoCloseable {

    static final String STOPPED = "transport stopped";
    static final long TICK_MILLIS = 5;
    /** Timer period of an idle engine: keep-alives and expiry need no more; see {@link #tick()}. */
    static final long IDLE_TICK_MILLIS = 250;
    /** The timer stays at {@link #TICK_MILLIS} this long after the last message sent or received. */
    private static final long BUSY_AFTER_ACTIVITY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** DATA from a peer this recent makes DATA to it leave room for an included ACK. */
    private static final long RECENT_DATA_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long STOP_WAIT_MILLIS = 2000;
    private static final int DRAIN_BATCH = 256;
    /** Bytes of plain messages the listeners may be behind before more are dropped. */
    static final long MAX_PLAIN_BACKLOG = 4L << 20;
    private static final DeliveryResult PLAIN_SENT = new DeliveryResult(DeliveryStatus.SENT, "");

    private final DatagramIo io;
    private final int incarnation;
    private final Logger logger;
    private final LongSupplier clock;
    private final Random random;
    private final TransportCounters counters = new TransportCounters();
    /** The timer; replaced (under {@code tickLock}) when a Throwable escapes a tick. */
    private ScheduledThreadPoolExecutor ticker;
    private final AtomicInteger timerThreads = new AtomicInteger();
    private final Object tickLock = new Object();
    /** The next run of {@link #tick()}; replaced under {@code tickLock}. */
    private ScheduledFuture<?> nextTick;
    private volatile boolean idleTicks;
    private volatile long lastActivityNanos;
    private final AtomicLong ticks = new AtomicLong();
    private final Delivery delivery;
    private final Keeping keeping;
    private final Strangers strangers;
    /** Test seam: called with "receive", "delivery", "keeper" or "timer" as that thread starts a round of work. */
    volatile Consumer<String> seam = where -> {
    };
    /** The thread that reads the socket; replaced when a listener stalls it (see {@link Delivery}). */
    private volatile Thread receiveThread;
    private final AtomicInteger receiveThreads = new AtomicInteger();
    private final Map<InetSocketAddress, SendSession> senders = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ReceiveSession> receivers = new ConcurrentHashMap<>();
    private final WarningThrottle malformedWarnings = new WarningThrottle();
    private final WarningThrottle ioWarnings = new WarningThrottle();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong plainBacklog = new AtomicLong();
    private volatile TransportSettings settings;

    /** @param listeners read for every message, so a live copy-on-write list sees services come and go */
    UdpTransportEngine(DatagramIo io, TransportSettings settings, Iterable<MessageListener> listeners, Logger logger) {
        this(io, settings, listeners, logger, System::nanoTime, new SecureRandom());
    }

    UdpTransportEngine(DatagramIo io, TransportSettings settings, Iterable<MessageListener> listeners, Logger logger,
            LongSupplier nanoClock, Random random) {
        this.io = io;
        this.settings = settings;
        this.logger = logger;
        this.clock = nanoClock;
        this.random = random;
        this.incarnation = nonZero();
        int port = io.localAddress().getPort();
        this.ticker = newTicker();
        this.delivery = new Delivery(listeners, "peerchat-udp-" + port + "-delivery", counters, logger, nanoClock);
        delivery.seam = where -> seam.accept(where);
        delivery.threadFailed = failure -> threadFailed(failure, null);
        this.keeping = new Keeping(this, "peerchat-udp-" + port + "-keeper", logger, nanoClock);
        this.strangers = new Strangers(counters, () -> this.settings);
        this.receiveThread = newReceiveThread();
    }

    private ScheduledThreadPoolExecutor newTicker() {
        int number = timerThreads.incrementAndGet();
        String suffix = number == 1 ? "" : "-" + number;
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                NamedThreads.named("peerchat-udp-" + io.localAddress().getPort() + "-timers" + suffix));
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }

    private Thread newReceiveThread() {
        int number = receiveThreads.incrementAndGet();
        String suffix = number == 1 ? "" : "-" + number;
        return NamedThreads.named("peerchat-udp-" + io.localAddress().getPort() + "-receive" + suffix)
                .newThread(this::receiveLoop);
    }

    private int nonZero() {
        synchronized (random) {
            int value;
            do {
                value = random.nextInt();
            } while (value == 0);
            return value;
        }
    }

    void start() {
        if (closed.get()) {
            throw new IllegalStateException("engine already closed");
        }
        if (started.compareAndSet(false, true)) {
            receiveThread.start();
            lastActivityNanos = clock.getAsLong();
            scheduleNextTick(false);
        }
    }

    // --- for the sessions ------------------------------------------------------------------

    TransportSettings settings() {
        return settings;
    }

    /** New settings apply at the next decision of every session. */
    void update(TransportSettings newSettings) {
        this.settings = Objects.requireNonNull(newSettings);
    }

    DatagramIo io() {
        return io;
    }

    int incarnation() {
        return incarnation;
    }

    TransportCounters counters() {
        return counters;
    }

    Logger logger() {
        return logger;
    }

    Strangers strangers() {
        return strangers;
    }

    boolean hasKeeper() {
        return keeping.keeper() != null;
    }

    /**
     * Binds the keeper that reliable messages go to before they are acknowledged (null: none; then
     * nothing reliable is acknowledged and messages wait, within the stranger limits). What the
     * previous keeper had not kept yet is offered to the new one, in order.
     */
    void keeper(MessageKeeper keeper) {
        keeping.keeper(keeper, receivers.values());
        activity();
    }

    Iterable<ReceiveSession> receiveSessions() {
        return receivers.values();
    }

    void seam(String where) {
        seam.accept(where);
    }

    /** A kept message, queued for the listeners (under its session's lock, so in stream order). */
    void deliverKept(IncomingMessage message, AtomicLong backlog, long size, AtomicInteger count) {
        delivery.offer(message, backlog, size, count);
    }

    /**
     * The keeper kept messages of {@code session} outside the receive thread's handling of a packet:
     * the ACK goes out now (so the sender learns DELIVERED without waiting for the timer), and the
     * listeners get the messages from the delivery thread.
     */
    void afterKept(ReceiveSession session) {
        sendOwedAck(session);
        delivery.deliverSoon();
    }

    /**
     * A Throwable escaped the work of a transport thread (the current one): logged at error level
     * with the thread's name; the caller replaces the thread, then {@code recovery} (if any) runs.
     */
    void threadFailed(Throwable failure, Runnable recovery) {
        counters.threadsReplaced.incrementAndGet();
        try {
            logger.error("UDP transport thread {} failed; it is replaced and the transport goes on",
                    Thread.currentThread().getName(), failure);
        } catch (Throwable ignored) {
            // Out of memory even for logging: the replacement matters more.
        }
        if (recovery != null) {
            try {
                recovery.run();
            } catch (Throwable ignored) {
                // The timer tries again on its next run.
            }
        }
    }

    /** True when DATA from {@code peer} is held to the stranger limits: no keeper, or it does not know the peer. */
    private boolean stranger(PeerAddress peer) {
        MessageKeeper keeper = keeping.keeper();
        if (keeper == null) {
            return true;
        }
        try {
            return !keeper.knows(peer);
        } catch (RuntimeException e) {
            warnMalformed("keeper failed to tell whether it knows {}: {}", peer, e.toString());
            return true;
        }
    }

    void warnMalformed(String format, Object a, Object b) {
        warn(malformedWarnings, format, a, b);
    }

    void warnIo(String format, Object a, Exception e) {
        warn(ioWarnings, format, a, e.toString());
    }

    private void warn(WarningThrottle throttle, String format, Object a, Object b) {
        long heldBack = throttle.tryWarn();
        if (heldBack < 0) {
            logger.debug(format, a, b);
        } else if (heldBack == 0) {
            logger.warn(format, a, b);
        } else {
            logger.warn(format + " ({} similar warnings held back)", a, b, heldBack);
        }
    }

    // --- public face -----------------------------------------------------------------------

    PeerAddress localAddress() {
        InetSocketAddress local = io.localAddress();
        return new PeerAddress(local.getAddress().getHostAddress(), local.getPort());
    }

    /**
     * Sends one message; the result completes exactly once and this never throws for a bad
     * destination, an oversized text or a stopped transport (they complete FAILED with a reason).
     * Resolving a host name happens on the calling thread.
     */
    CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        return send(to, null, text);
    }

    /**
     * As {@link #send(PeerAddress, String)}, with the message id (null: none) in the message's first
     * chunk; an invalid id (empty, over 64 bytes, not printable ASCII) completes FAILED with
     * {@code invalid message id: ...}.
     */
    CompletionStage<DeliveryResult> send(PeerAddress to, String messageId, String text) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        byte[] id;
        try {
            id = FrameCodec.messageId(messageId);
        } catch (IllegalArgumentException e) {
            return refuse(new PendingSend(to, utf8), e.getMessage());
        }
        PendingSend send = new PendingSend(to, id, utf8);
        String refusal = check(to, utf8);
        if (refusal != null) {
            return refuse(send, refusal);
        }
        InetSocketAddress target;
        try {
            target = new InetSocketAddress(InetAddress.getByName(to.host()), to.port());
        } catch (UnknownHostException e) {
            return refuse(send, "unknown host " + to.host());
        }
        Completions done = new Completions();
        for (int attempt = 0; attempt < 3; attempt++) {
            SendSession session = senders.get(target);
            if (session == null) {
                if (senders.size() >= settings.maxPeers()) {
                    return refuse(send, "too many peer sessions (max " + settings.maxPeers() + ")");
                }
                session = senders.computeIfAbsent(target,
                        key -> new SendSession(this, key, to, nonZero(), clock.getAsLong()));
            }
            if (session.offer(send, clock.getAsLong(), done)) {
                session.flush();
                activity();
                break;
            }
            senders.remove(target, session); // closed meanwhile: open a fresh one
        }
        // close() sets closed before failing sessions, so a send that slipped in is failed here.
        if (closed.get()) {
            SendSession session = senders.remove(target);
            if (session != null) {
                session.failAll(STOPPED, done);
            }
            done.add(send, Completions.failure(STOPPED));
        }
        done.run();
        if (!send.result.isDone() && !senders.containsKey(target)) {
            send.result.complete(Completions.failure(STOPPED)); // lost a race with close three times
        }
        return send.result.minimalCompletionStage();
    }

    /**
     * Sends the text as one header-less datagram: SENT once handed to the socket, FAILED (never an
     * exception) for a bad address, a text over {@link PlainDatagram#MAX_BYTES}, a stopped transport
     * or a send the operating system refused. Runs on the calling thread.
     */
    CompletionStage<DeliveryResult> sendPlain(PeerAddress to, String text) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(text, "text");
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        String refusal = checkAddress(to);
        if (refusal == null && utf8.length > PlainDatagram.MAX_BYTES) {
            refusal = "message too large for a plain datagram: " + utf8.length + " bytes (max "
                    + PlainDatagram.MAX_BYTES + ")";
        }
        if (refusal == null && closed.get()) {
            refusal = STOPPED;
        }
        InetSocketAddress target = null;
        if (refusal == null) {
            try {
                target = new InetSocketAddress(InetAddress.getByName(to.host()), to.port());
            } catch (UnknownHostException e) {
                refusal = "unknown host " + to.host();
            }
        }
        if (refusal == null) {
            try {
                io.send(ByteBuffer.wrap(utf8), target);
            } catch (IOException | RuntimeException e) {
                counters.ioErrors.incrementAndGet();
                refusal = "UDP send to " + to + " failed: " + e;
            }
        }
        if (refusal != null) {
            if (!refusal.equals(STOPPED)) {
                logger.warn("plain datagram to {} not sent: {}", to, refusal);
            }
            return CompletableFuture.completedStage(Completions.failure(refusal));
        }
        counters.plainSent.incrementAndGet();
        return CompletableFuture.completedStage(PLAIN_SENT);
    }

    private static String checkAddress(PeerAddress to) {
        if (to.host() == null || to.host().isBlank()) {
            return "invalid address " + to + ": no host";
        }
        if (to.port() < 1 || to.port() > 65535) {
            return "invalid address " + to + ": port must be 1..65535";
        }
        return null;
    }

    private String check(PeerAddress to, byte[] utf8) {
        String bad = checkAddress(to);
        if (bad != null) {
            return bad;
        }
        if (utf8.length > TransportSettings.MAX_MESSAGE_BYTES) {
            return "message too large: " + utf8.length + " bytes (max " + TransportSettings.MAX_MESSAGE_BYTES
                    + " bytes = 1 MiB)";
        }
        if (closed.get()) {
            return STOPPED;
        }
        return null;
    }

    private CompletionStage<DeliveryResult> refuse(PendingSend send, String reason) {
        counters.messagesFailed.incrementAndGet();
        if (!reason.equals(STOPPED)) {
            logger.warn("message to {} refused: {}", send.to, reason);
        }
        send.result.complete(Completions.failure(reason));
        return send.result.minimalCompletionStage();
    }

    TransportStats stats() {
        Map<InetSocketAddress, PeerStats> peers = new HashMap<>();
        long inFlight = 0;
        for (SendSession session : senders.values()) {
            ReceiveSession r = receivers.get(session.target);
            PeerStats s = session.stats(r == null ? 0 : r.received(), r == null ? 0 : r.duplicates());
            inFlight += s.inFlight();
            peers.put(session.target, s);
        }
        for (ReceiveSession r : receivers.values()) {
            peers.computeIfAbsent(r.source, key -> new PeerStats(r.peer, "receiving", 0, 0, 0, r.received(), 0,
                    r.duplicates(), -1, -1, -1, 0, 0, 0));
        }
        List<PeerStats> list = new ArrayList<>(peers.values());
        list.sort(Comparator.comparing(p -> p.peer().toString()));
        TransportCounters c = counters;
        return new TransportStats(c.messagesSent.get(), c.messagesDelivered.get(), c.messagesFailed.get(),
                c.messagesReceived.get(), c.packetsSent.get(), c.packetsRetransmitted.get(),
                c.duplicatesDropped.get(), c.malformedDropped.get(), inFlight, c.plainSent.get(),
                c.plainReceived.get(), c.plainDropped.get(), c.strangerDropped.get(), c.keepFailures.get(),
                c.awaitingKeep.get(), list);
    }

    // --- receive thread --------------------------------------------------------------------

    /**
     * The receive thread. Whatever escapes its work (an Error from a listener or a keeper, out of
     * memory, a bug) is logged and a new receive thread takes over, after what this one had
     * collected (receipts, ACKs, plain messages) was passed on as far as possible.
     */
    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        List<ReceiveSession.Arrival> arrivals = new ArrayList<>();
        List<ReceiveSession> toAck = new ArrayList<>();
        Completions done = new Completions();
        try {
            receive(buffer, arrivals, toAck, done);
        } catch (Throwable t) {
            if (closed.get()) {
                return;
            }
            Thread replacement = newReceiveThread();
            boolean replaced = false;
            synchronized (tickLock) { // one replacement at a time (the timer replaces stalled threads too)
                if (!closed.get() && Thread.currentThread() == receiveThread) {
                    receiveThread = replacement;
                    replaced = true;
                }
            }
            threadFailed(t, () -> {
                flushAcks(toAck);
                done.run();
                offerArrivals(arrivals);
            });
            if (replaced) {
                replacement.start();
            }
        }
    }

    private void receive(ByteBuffer buffer, List<ReceiveSession.Arrival> arrivals, List<ReceiveSession> toAck,
            Completions done) {
        while (!closed.get() && Thread.currentThread() == receiveThread) {
            try {
                buffer.clear();
                InetSocketAddress source = io.receive(buffer);
                seam.accept("receive");
                int handled = 0;
                while (source != null) {
                    buffer.flip();
                    handleSafely(buffer, source, arrivals, toAck, done);
                    if (!done.isEmpty()) {
                        done.run(); // a delivery receipt is not held back by the drain
                    }
                    if (handled == 0 && toAck.isEmpty()) {
                        // The datagram that woke this thread leaves no ACK waiting for the end of a burst
                        // (a lone message was acknowledged at once, an ACK completed its receipts): hand
                        // over what arrived and wait again. Not polling (and not switching the channel's
                        // blocking mode twice) keeps this thread off the CPU the waiting caller needs next.
                        // Once draining, drain to the end: bursts keep one mode switch per drain.
                        break;
                    }
                    if (++handled == DRAIN_BATCH || Thread.currentThread() != receiveThread) {
                        break; // a batch is done, or a stalled keeper call got this thread replaced
                    }
                    buffer.clear();
                    source = io.poll(buffer);
                }
            } catch (ClosedChannelException e) {
                if (!closed.get()) {
                    logger.error("UDP channel {} closed unexpectedly; no more messages will be received",
                            io.localAddress(), e);
                }
                return;
            } catch (IOException e) {
                counters.ioErrors.incrementAndGet();
                warn(ioWarnings, "UDP receive on {} failed: {}", io.localAddress(), e.toString());
                if (!pause()) {
                    return;
                }
            }
            // The socket is drained (or a batch is done): one coalesced ACK per stream that got data,
            // then receipts, then the listeners: nothing a listener does delays an ACK or a receipt.
            flushAcks(toAck);
            done.run();
            offerArrivals(arrivals);
            delivery.deliverBeforeWaiting();
        }
    }

    /**
     * Tick thread: when a listener has held the receive thread too long, a new thread takes over
     * the socket. The stuck one finishes its listener call and leaves; order is kept because it had
     * queued everything it received before calling listeners, and the lock in {@link Delivery} keeps
     * later messages waiting until it lets go.
     */
    private void replaceStalledReceiveThread(long now) {
        long since = delivery.stalledSince(now);
        boolean inKeeper = false;
        if (since == 0) {
            since = keeping.stalledSince(now);
            inKeeper = true;
        }
        if (since == 0) {
            return;
        }
        Thread stuck = receiveThread;
        Thread replacement = newReceiveThread();
        long stalled = since;
        boolean tookOver;
        synchronized (tickLock) {
            tookOver = !closed.get() && receiveThread == stuck && (inKeeper
                    ? keeping.takeOverIfStillStalled(stalled, () -> receiveThread = replacement)
                    : delivery.takeOverIfStillStalled(stalled, () -> receiveThread = replacement));
        }
        if (!tookOver) {
            return;
        }
        replacement.start();
        logger.warn("UDP receive thread {} has been inside a {} for {} ms (slow or blocked, or a starved CPU); "
                + "receiving goes on in {}, and {} are called on the {} thread only for the next {} s", stuck.getName(),
                inKeeper ? "message keeper" : "message listener", (now - since) / 1_000_000, replacement.getName(),
                inKeeper ? "keepers" : "listeners", inKeeper ? "keeper" : "delivery",
                Delivery.STALL_PAUSE_NANOS / 1_000_000_000);
    }

    private void offerArrivals(List<ReceiveSession.Arrival> arrivals) {
        for (ReceiveSession.Arrival arrival : arrivals) {
            delivery.offer(arrival.message(), arrival.backlog(), arrival.size());
        }
        arrivals.clear();
    }

    private void flushAcks(List<ReceiveSession> toAck) {
        for (ReceiveSession session : toAck) {
            sendOwedAck(session);
        }
        toAck.clear();
    }

    private boolean pause() {
        try {
            Thread.sleep(50);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void handleSafely(ByteBuffer datagram, InetSocketAddress source, List<ReceiveSession.Arrival> arrivals,
            List<ReceiveSession> toAck, Completions done) {
        try {
            handle(datagram, source, arrivals, toAck, done);
        } catch (RuntimeException e) {
            // A bug in handling one datagram must not stop reception for everybody.
            counters.malformedDropped.incrementAndGet();
            logger.error("dropped datagram from {} after an unexpected error", source, e);
        }
    }

    /** Package-private so tests can feed datagrams without a network. */
    void handle(ByteBuffer datagram, InetSocketAddress source, List<ReceiveSession.Arrival> arrivals,
            List<ReceiveSession> toAck, Completions done) {
        if (!PlainDatagram.claimsToBeFrame(datagram)) {
            String text = PlainDatagram.text(datagram);
            if (text != null) {
                plain(text, datagram.remaining(), source, arrivals);
                return;
            }
        }
        Frame frame;
        try {
            frame = FrameCodec.decode(datagram);
        } catch (MalformedFrameException e) {
            counters.malformedDropped.incrementAndGet();
            warnMalformed("dropped malformed datagram from {}: {}", source, e.getMessage());
            return;
        }
        long now = clock.getAsLong();
        switch (frame) {
            case Frame.Data data -> {
                activity();
                // The included ACK first, exactly as if it had come alone; but the DATA it lets out
                // leaves after the packet is taken in, so it can carry this packet's ACK as well.
                SendSession replying = data.ack() == null ? null : applyAck(data.ack(), source, now, done);
                ReceiveSession ackAtOnce = onData(data, source, now, toAck);
                if (replying != null) {
                    afterAck(replying, source);
                }
                if (ackAtOnce != null) {
                    sendOwedAck(ackAtOnce); // unless a DATA to this peer took it along
                }
            }
            case Frame.Ack ack -> {
                SendSession session = applyAck(ack, source, now, done);
                if (session != null) {
                    afterAck(session, source);
                }
            }
            case Frame.Ping ping -> {
                ReceiveSession session = receivers.get(source);
                ByteBuffer answer;
                if (session != null && session.session() == ping.session()) {
                    session.heard(now);
                    answer = session.ack(ping.timestamp());
                } else {
                    // A stream we hold nothing of (yet): nothing received, the full window open.
                    answer = FrameCodec.encodeAck(ping.session(), incarnation, 0, settings.receiveWindowPackets(),
                            ping.timestamp(), new long[0]);
                }
                sendQuietly(answer, source);
            }
        }
    }

    /**
     * Takes a packet in and offers the messages it completed to the keeper at once (so that an ACK
     * sent right after covers what a fast keeper kept); returns its session when it must be
     * acknowledged at once (the caller sends that ACK), else null (acknowledged after the drain, via
     * {@code toAck}). DATA from a stranger beyond the stranger limits is dropped and counted.
     */
    private ReceiveSession onData(Frame.Data data, InetSocketAddress source, long now, List<ReceiveSession> toAck) {
        ReceiveSession session = receivers.get(source);
        PeerAddress peer = session != null ? session.peer
                : new PeerAddress(source.getAddress().getHostAddress(), source.getPort());
        boolean stranger = stranger(peer);
        if (session == null) {
            if (receivers.size() >= settings.maxPeers()) {
                counters.staleFrames.incrementAndGet();
                warnMalformed("dropped DATA from {}: {}", source,
                        "too many peer sessions (max " + settings.maxPeers() + ")");
                return null;
            }
            if (stranger && !strangers.roomForSession()) {
                counters.strangerDropped.incrementAndGet();
                warnMalformed("dropped DATA from {}: {}", source,
                        "too many sessions of unknown peers (max " + settings.maxStrangerSessions() + ")");
                return null;
            }
            session = receivers.computeIfAbsent(source, key -> new ReceiveSession(this, key, data.session(), now));
        }
        boolean ackNow = session.onData(data, now, stranger);
        if (session.hasUnoffered()) {
            keeping.offerNow(session);
        }
        if (ackNow) {
            toAck.remove(session);
            return session;
        }
        if (!toAck.contains(session)) {
            toAck.add(session);
        }
        return null;
    }

    /**
     * An ACK for our stream to {@code source}, alone or included in a DATA; returns the session it
     * went to (whose datagrams {@link #afterAck} sends), or null if none matches.
     */
    private SendSession applyAck(Frame.Ack ack, InetSocketAddress source, long now, Completions done) {
        SendSession session = senders.get(source);
        if (session == null) {
            counters.staleFrames.incrementAndGet();
            return null;
        }
        session.onAck(ack, now, done);
        return session;
    }

    /** Sends what an ACK let out, and forgets the session if the ACK closed it. */
    private void afterAck(SendSession session, InetSocketAddress source) {
        session.flush();
        if (session.isClosed()) {
            senders.remove(source, session);
            SendSession successor = senders.get(source);
            if (successor != null) {
                successor.flush(); // messages a restarted peer never got, carried over (carryOver)
            }
        }
    }

    /** Sends the ACK the session owes, if it still owes one (an included ACK may have settled it). */
    private void sendOwedAck(ReceiveSession session) {
        ByteBuffer ack = session.pendingAck();
        if (ack != null) {
            sendQuietly(ack, session.source);
        }
    }

    /** True while {@code peer} sends to us and takes included ACKs (within the last second). */
    boolean expectsToOweAcks(InetSocketAddress peer, long now) {
        ReceiveSession session = receivers.get(peer);
        return session != null && session.expectsToOweAcks(now, RECENT_DATA_NANOS);
    }

    /**
     * The ACK owed to {@code peer}, to include in a DATA going there that has {@code room} bytes to
     * spare, or null (see ReceiveSession).
     */
    Frame.Ack ackToInclude(InetSocketAddress peer, int room) {
        ReceiveSession session = receivers.get(peer);
        return session == null || room < FrameCodec.INCLUDED_ACK_BODY ? null : session.ackToInclude(room);
    }

    /**
     * Puts a fresh session (new id, seq 1) in place of {@code old}, which a restarted peer made fail,
     * with the messages it never transmitted. Called under {@code old}'s lock: a send that finds
     * {@code old} closed afterwards finds the fresh session, so it queues behind the carried messages.
     * Its datagrams go out when the caller flushes it, after the locks are released.
     */
    void carryOver(SendSession old, List<PendingSend> sends, long now, Completions done) {
        SendSession fresh = new SendSession(this, old.target, old.peer, nonZero(), now);
        fresh.adopt(sends, now);
        if (!senders.replace(old.target, old, fresh)) {
            // Only close() and a send racing it take a live session out of the map: the engine stops.
            fresh.failAll(STOPPED, done);
        }
    }

    /**
     * A header-less text datagram (the original application's chat message): handed to the listeners
     * marked plain, unless plain messages the listeners have not consumed yet already hold
     * {@link #MAX_PLAIN_BACKLOG} bytes (a flood of them must not grow the delivery queue without bound).
     */
    private void plain(String text, int size, InetSocketAddress source, List<ReceiveSession.Arrival> arrivals) {
        PeerAddress from = new PeerAddress(source.getAddress().getHostAddress(), source.getPort());
        if (plainBacklog.get() + size > MAX_PLAIN_BACKLOG) {
            counters.plainDropped.incrementAndGet();
            warnMalformed("dropped plain datagram from {}: {}", from,
                    "listeners are " + plainBacklog.get() + " bytes of plain messages behind");
            return;
        }
        counters.plainReceived.incrementAndGet();
        plainBacklog.addAndGet(size + 1L);
        arrivals.add(new ReceiveSession.Arrival(new IncomingMessage(from, text, Instant.now(), true), size + 1L,
                plainBacklog));
    }

    private void sendQuietly(ByteBuffer datagram, InetSocketAddress to) {
        try {
            io.send(datagram, to);
            counters.acksSent.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            counters.ioErrors.incrementAndGet();
            warnIo("UDP send to {} failed: {}", to, e);
        }
    }

    // --- tick thread -----------------------------------------------------------------------

    /**
     * Timers of every session, every {@link #TICK_MILLIS} while the engine is busy (messages moved
     * within the last second, or a session waits for an ACK, has queued messages, owes an ACK or a
     * window update), else every {@link #IDLE_TICK_MILLIS} (at most half the keep-alive period): an
     * idle chat does not wake a thread 200 times a second. A message sent or received brings the
     * fast timer back at once ({@link #activity}).
     */
    private void tick() {
        boolean busy = true;
        try {
            seam.accept("timer");
            busy = false;
            ticks.incrementAndGet();
            long now = clock.getAsLong();
            replaceStalledReceiveThread(now);
            Completions done = new Completions();
            for (SendSession session : senders.values()) {
                if (!session.onTick(now, done)) {
                    senders.remove(session.target, session);
                } else {
                    busy |= session.needsTimers();
                }
                session.flush();
                if (!done.isEmpty()) {
                    done.run();
                }
            }
            for (ReceiveSession session : receivers.values()) {
                ByteBuffer ack = session.onTick();
                if (ack != null) {
                    sendQuietly(ack, session.source);
                }
                session.recharge(); // what the listeners consumed no longer counts against strangers
                keeping.retryDue(session, now);
                String expired = session.expired(now);
                if (expired != null) {
                    receivers.remove(session.source, session);
                    session.retire();
                    logger.debug("forgot the stream from {}: {}", session.peer, expired);
                } else {
                    busy |= session.needsTimers();
                }
            }
        } catch (RuntimeException e) {
            // Never let one bad tick stop the timer.
            logger.error("UDP transport timer failed", e);
            busy = true;
        } catch (Throwable t) {
            // Worse (an Error): a fresh timer thread takes over; this one ends after this run.
            threadFailed(t, null);
            replaceTimer();
            return;
        }
        scheduleNextTick(busy);
    }

    /** A new timer executor in place of the current one (whose thread is running this), then the next tick there. */
    private void replaceTimer() {
        ScheduledThreadPoolExecutor old;
        synchronized (tickLock) {
            if (closed.get()) {
                return;
            }
            old = ticker;
            ticker = newTicker();
            scheduleNextTick(true);
        }
        old.shutdown();
    }

    /** The next tick: soon when {@code busy} or after recent activity, else after the idle period. */
    private void scheduleNextTick(boolean busy) {
        synchronized (tickLock) {
            if (closed.get()) {
                return;
            }
            boolean idle = !busy && clock.getAsLong() - lastActivityNanos >= BUSY_AFTER_ACTIVITY_NANOS;
            long delay = idle ? Math.min(IDLE_TICK_MILLIS, Math.max(TICK_MILLIS, settings.keepAliveMillis() / 2))
                    : TICK_MILLIS;
            try {
                nextTick = ticker.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
                idleTicks = idle;
            } catch (RejectedExecutionException stopping) {
                nextTick = null; // close() shut the timer down meanwhile
            }
        }
    }

    /**
     * A message was sent or a DATA arrived: timers matter again (retransmissions, delayed ACKs). If
     * the timer idles, its next run moves to {@link #TICK_MILLIS} from now.
     */
    void activity() {
        lastActivityNanos = clock.getAsLong();
        if (!idleTicks) {
            return;
        }
        synchronized (tickLock) {
            // A running tick reschedules itself and sees the activity under this lock.
            if (idleTicks && nextTick != null && nextTick.getDelay(TimeUnit.MILLISECONDS) > TICK_MILLIS
                    && nextTick.cancel(false)) {
                scheduleNextTick(true);
            }
        }
    }

    /** Timer runs so far (tests). */
    long ticks() {
        return ticks.get();
    }

    /** True while the timer runs at the idle period (tests). */
    boolean idleTicks() {
        return idleTicks;
    }

    // --- shutdown --------------------------------------------------------------------------

    /** Stops the threads, fails every unfinished send with "transport stopped" and closes the channel. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        InetSocketAddress local = io.localAddress();
        ScheduledThreadPoolExecutor timer;
        synchronized (tickLock) {
            timer = ticker; // no replacement after closed is set
        }
        timer.shutdown();
        boolean interrupted = false;
        try {
            if (!timer.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                logger.warn("UDP transport timer did not stop within {} ms", STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            io.close(); // wakes the receive thread
        } catch (IOException e) {
            logger.warn("closing UDP channel {} failed: {}", local, e.toString(), e);
        }
        keeping.stop(interrupted ? 0 : STOP_WAIT_MILLIS);
        if (started.get()) {
            try {
                receiveThread.join(interrupted ? 1 : STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        long failedBefore = counters.messagesFailed.get();
        Completions done = new Completions();
        for (SendSession session : senders.values()) {
            session.failAll(STOPPED, done);
        }
        senders.clear();
        done.run();
        int undelivered = delivery.stop(interrupted ? 0 : STOP_WAIT_MILLIS);
        logger.info("UDP transport on {} stopped: {} unfinished sends failed, {} received messages not delivered",
                local, counters.messagesFailed.get() - failedBefore, undelivered);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
