package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.log.Logger;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;

/**
 * The sending side: gives each message its per-destination id, transmits it, retransmits it with
 * exponential backoff until acknowledged, and fails it after the delivery timeout. All state except
 * the set of unsettled sends is confined to the scheduler thread (methods marked so), which keeps
 * it free of locks.
 */
final class Outbox {

    /**
     * At most this many unacknowledged messages per destination; more wait in a queue. Must stay
     * below {@link SequenceWindow#SIZE} so the receiver's window never slides past an id that may
     * still be retransmitted.
     */
    static final int MAX_IN_FLIGHT_PER_PEER = 256;

    static final DeliveryResult DELIVERED = new DeliveryResult(DeliveryStatus.DELIVERED, "");

    private record InFlightKey(InetSocketAddress target, long messageId) {
    }

    /** Per destination: the id sequence and the messages waiting for a free in-flight slot. */
    private static final class Destination {
        long lastMessageId;
        int inFlight;
        final ArrayDeque<PendingSend> waiting = new ArrayDeque<>();
    }

    private final DatagramIo io;
    private final int sessionId;
    private final TransportSettings settings;
    private final ScheduledExecutorService scheduler;
    private final TransportCounters counters;
    private final Logger logger;

    // Scheduler thread only. Destinations are kept for the whole session: forgetting one would
    // restart its ids at 1, which the receiver would take for duplicates.
    private final Map<InetSocketAddress, Destination> destinations = new HashMap<>();
    private final Map<InFlightKey, PendingSend> inFlight = new HashMap<>();

    private volatile boolean stopping;

    // Any thread: every send not yet completed, so close() can fail them whatever the scheduler does.
    private final Set<PendingSend> unsettled = ConcurrentHashMap.newKeySet();

    Outbox(DatagramIo io, int sessionId, TransportSettings settings, ScheduledExecutorService scheduler,
            TransportCounters counters, Logger logger) {
        this.io = io;
        this.sessionId = sessionId;
        this.settings = settings;
        this.scheduler = scheduler;
        this.counters = counters;
        this.logger = logger;
    }

    /** Any thread: remember the send so it is completed even if it never reaches the scheduler. */
    void register(PendingSend send) {
        unsettled.add(send);
    }

    /** Any thread: from now on nothing is transmitted; tasks still queued fail their sends. */
    void stop() {
        stopping = true;
    }

    /** Scheduler thread: start the delivery clock and transmit now, or queue behind earlier messages. */
    void admit(PendingSend send) {
        if (send.settled.get()) {
            return;
        }
        if (stopping) {
            complete(send, failure(UdpTransportEngine.STOPPED));
            return;
        }
        try {
            send.deadline = scheduler.schedule(() -> timedOut(send), settings.deliveryTimeoutMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            complete(send, failure(UdpTransportEngine.STOPPED));
            return;
        }
        Destination destination = destinations.computeIfAbsent(send.target, key -> new Destination());
        if (destination.inFlight < MAX_IN_FLIGHT_PER_PEER) {
            transmitFirst(destination, send);
        } else {
            destination.waiting.add(send);
        }
    }

    /** Scheduler thread: an ACK from {@code from} for one of our ids (session already checked). */
    void acknowledged(InetSocketAddress from, long messageId) {
        PendingSend send = inFlight.get(new InFlightKey(from, messageId));
        if (send == null) {
            counters.staleAcks.incrementAndGet();
            logger.debug("ignored ACK from {} for message {}: not pending (late or repeated)", from, messageId);
            return;
        }
        counters.acksReceived.incrementAndGet();
        settle(send, DELIVERED);
    }

    /** Any thread, once the scheduler no longer runs: fail everything still open. */
    int failAllUnsettled(String reason) {
        int failed = 0;
        for (PendingSend send : Set.copyOf(unsettled)) {
            if (complete(send, failure(reason))) {
                failed++;
            }
        }
        return failed;
    }

    /**
     * Any thread: completes the send's result unless it already is; counts and logs the outcome.
     * Returns true when this call completed it.
     */
    boolean complete(PendingSend send, DeliveryResult result) {
        unsettled.remove(send);
        send.cancelTimers();
        if (!send.settled.compareAndSet(false, true)) {
            return false;
        }
        // Count and log before completing, so whoever waits on the result sees them.
        if (result.status() == DeliveryStatus.DELIVERED) {
            counters.delivered.incrementAndGet();
            logger.debug("message {} to {} delivered", send.messageId, send.to);
        } else {
            counters.failed.incrementAndGet();
            if (!result.reason().equals(UdpTransportEngine.STOPPED)) {
                logger.warn("message to {} failed: {}", send.to, result.reason());
            }
        }
        send.result.complete(result);
        return true;
    }

    static DeliveryResult failure(String reason) {
        return new DeliveryResult(DeliveryStatus.FAILED, reason);
    }

    private void transmitFirst(Destination destination, PendingSend send) {
        if (stopping) {
            complete(send, failure(UdpTransportEngine.STOPPED));
            return;
        }
        send.messageId = ++destination.lastMessageId;
        send.datagram = FrameCodec.encodeData(sessionId, send.messageId, send.utf8Text);
        send.nextDelayMillis = settings.retransmitMillis();
        try {
            io.send(send.datagram.duplicate(), send.target);
        } catch (ClosedChannelException e) {
            complete(send, failure(UdpTransportEngine.STOPPED));
            return;
        } catch (IOException | RuntimeException e) {
            // A first send that cannot even leave this host (no route, wrong address family) will
            // not get better by retrying: tell the caller now. The id stays used; receivers skip gaps.
            counters.ioErrors.incrementAndGet();
            complete(send, failure("cannot send to " + send.to + ": " + describe(e)));
            return;
        }
        destination.inFlight++;
        inFlight.put(new InFlightKey(send.target, send.messageId), send);
        counters.sent.incrementAndGet();
        scheduleRetransmission(send);
    }

    private void retransmit(PendingSend send) {
        if (send.settled.get() || stopping) {
            return;
        }
        try {
            io.send(send.datagram.duplicate(), send.target);
            counters.retransmitted.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            // Possibly transient (buffers full, interface flapping): keep trying until the deadline.
            counters.ioErrors.incrementAndGet();
            logger.debug("retransmission of message {} to {} failed: {}", send.messageId, send.to, describe(e));
        }
        send.nextDelayMillis = Math.min(send.nextDelayMillis * 2, settings.maxRetransmitMillis());
        scheduleRetransmission(send);
    }

    private void scheduleRetransmission(PendingSend send) {
        try {
            send.retransmission = scheduler.schedule(() -> retransmit(send), send.nextDelayMillis,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            complete(send, failure(UdpTransportEngine.STOPPED));
        }
    }

    private void timedOut(PendingSend send) {
        settle(send, failure("timed out: no acknowledgement from " + send.to + " after "
                + settings.deliveryTimeoutMillis() + " ms"));
    }

    /** Scheduler thread: complete, free the in-flight slot and let the next waiting message go. */
    private void settle(PendingSend send, DeliveryResult result) {
        Destination destination = destinations.get(send.target);
        if (destination != null) {
            if (send.messageId != 0 && inFlight.remove(new InFlightKey(send.target, send.messageId)) != null) {
                destination.inFlight--;
            } else {
                destination.waiting.remove(send);
            }
        }
        complete(send, result);
        while (destination != null && destination.inFlight < MAX_IN_FLIGHT_PER_PEER
                && !destination.waiting.isEmpty()) {
            transmitFirst(destination, destination.waiting.poll());
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
