package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.service.log.Logger;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;

/**
 * The receive loop: decodes each datagram, acknowledges every DATA (duplicates too, since the first
 * ACK may have been lost), drops duplicates and malformed datagrams, queues new messages for
 * delivery and passes ACKs to the outbox. Nothing a peer sends can end the loop; only close does.
 */
final class Receiver implements Runnable {

    /** Larger than any UDP payload, so nothing is silently truncated. */
    private static final int BUFFER_BYTES = 65_536;
    /** Pause after a socket error so a persistent one cannot spin the CPU. */
    private static final long ERROR_PAUSE_MILLIS = 50;

    private final DatagramIo io;
    private final int sessionId;
    private final DuplicateFilter duplicates;
    private final Delivery delivery;
    private final Outbox outbox;
    private final Executor scheduler;
    private final TransportCounters counters;
    private final Logger logger;
    private final Clock clock;
    private final WarningThrottle malformedWarnings = new WarningThrottle();
    private final WarningThrottle trouble = new WarningThrottle();
    private volatile boolean stopping;

    Receiver(DatagramIo io, int sessionId, DuplicateFilter duplicates, Delivery delivery, Outbox outbox,
            Executor scheduler, TransportCounters counters, Logger logger, Clock clock) {
        this.io = io;
        this.sessionId = sessionId;
        this.duplicates = duplicates;
        this.delivery = delivery;
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.counters = counters;
        this.logger = logger;
        this.clock = clock;
    }

    /** Marks the loop as ending; closing the channel then wakes it. */
    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        while (!stopping) {
            buffer.clear();
            InetSocketAddress source;
            try {
                source = io.receive(buffer);
            } catch (ClosedChannelException e) {
                if (!stopping) {
                    logger.error("UDP channel {} closed unexpectedly; no more messages will be received",
                            io.localAddress(), e);
                }
                return;
            } catch (IOException e) {
                counters.ioErrors.incrementAndGet();
                warnThrottled(trouble, "UDP receive on {} failed: {}", io.localAddress(), e.toString());
                if (!pause()) {
                    return;
                }
                continue;
            }
            if (source == null) {
                continue;
            }
            buffer.flip();
            try {
                handle(buffer, source);
            } catch (RuntimeException e) {
                // A bug in handling one datagram must not stop reception for everybody.
                counters.malformedDropped.incrementAndGet();
                logger.error("dropped datagram from {} after an unexpected error", source, e);
            }
        }
    }

    void handle(ByteBuffer datagram, InetSocketAddress source) {
        Frame frame;
        try {
            frame = FrameCodec.decode(datagram);
        } catch (MalformedFrameException e) {
            counters.malformedDropped.incrementAndGet();
            warnThrottled(malformedWarnings, "dropped malformed datagram from {}: {}", source, e.getMessage());
            return;
        }
        switch (frame.type()) {
            case DATA -> onData(frame, source);
            case ACK -> onAck(frame, source);
        }
    }

    private void onData(Frame frame, InetSocketAddress source) {
        if (duplicates.isDuplicate(source, frame.sessionId(), frame.messageId())) {
            counters.duplicatesDropped.incrementAndGet();
            logger.debug("duplicate message {} from {} (session {}): acknowledged again, not delivered",
                    frame.messageId(), source, Integer.toHexString(frame.sessionId()));
            sendAck(frame, source);
            return;
        }
        PeerAddress from = new PeerAddress(source.getAddress().getHostAddress(), source.getPort());
        if (!delivery.offer(new IncomingMessage(from, frame.text(), clock.instant()))) {
            // Unacknowledged, so the sender retransmits it once the listeners have caught up.
            counters.deliveryQueueFull.incrementAndGet();
            warnThrottled(trouble, "listeners are behind ({} messages queued): left message {} from {} "
                    + "unacknowledged for now", delivery.queued(), frame.messageId(), source);
            return;
        }
        duplicates.markAccepted(source, frame.sessionId(), frame.messageId());
        counters.received.incrementAndGet();
        sendAck(frame, source);
    }

    private void onAck(Frame frame, InetSocketAddress source) {
        if (frame.sessionId() != sessionId) {
            // An ACK meant for an earlier run of this process (same port), or forged.
            counters.staleAcks.incrementAndGet();
            logger.debug("ignored ACK from {} for session {} (ours is {})", source,
                    Integer.toHexString(frame.sessionId()), Integer.toHexString(sessionId));
            return;
        }
        long messageId = frame.messageId();
        try {
            scheduler.execute(() -> outbox.acknowledged(source, messageId));
        } catch (RejectedExecutionException stopped) {
            logger.debug("ACK from {} for message {} arrived while stopping", source, messageId);
        }
    }

    private void sendAck(Frame data, InetSocketAddress source) {
        try {
            io.send(FrameCodec.encodeAck(data.sessionId(), data.messageId()), source);
            counters.acksSent.incrementAndGet();
        } catch (IOException e) {
            // The sender retransmits and we acknowledge again.
            counters.ioErrors.incrementAndGet();
            warnThrottled(trouble, "cannot send ACK to {}: {}", source, e.toString());
        }
    }

    private void warnThrottled(WarningThrottle throttle, String format, Object... args) {
        long heldBack = throttle.tryWarn();
        if (heldBack < 0) {
            logger.debug(format, args);
        } else if (heldBack == 0) {
            logger.warn(format, args);
        } else {
            logger.warn(format + " ({} similar warnings held back)", append(args, heldBack));
        }
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }

    private boolean pause() {
        try {
            Thread.sleep(ERROR_PAUSE_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
