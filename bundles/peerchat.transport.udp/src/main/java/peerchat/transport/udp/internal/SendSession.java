package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats.PeerStats;

/**
 * The sending half of a peer session: one numbered packet stream to one peer address. Packs queued
 * messages into DATA packets (small ones share a packet, large ones are split into chunks), keeps
 * sent packets until cumulatively acknowledged, retransmits on selective-ack evidence (fast
 * retransmit) or on the RTO timer (RFC 6298 with exponential backoff), limits packets in flight to
 * min(congestion window, receiver window), with AIMD on the congestion window. A message is DELIVERED
 * once the packet with its last chunk is cumulatively acknowledged, never on a selective ack: the
 * receiver acknowledges cumulatively only what its keeper kept, and reports packets it holds for the
 * keeper in ranges, which only stop their retransmission. When the oldest unfinished message
 * passes its deadline, the whole session fails and closes: the stream cannot skip a packet, so the
 * next send starts a fresh session (new random id, seq 1). When the peer turns out to have restarted,
 * the messages already (partly) transmitted fail and the session closes; the ones still wholly queued
 * move to a fresh session to the same peer ({@link UdpTransportEngine#carryOver}).
 * <p>
 * All state is guarded by {@code this}; datagrams go out ({@link #flush()}) and futures complete
 * ({@link Completions}) after the lock is released. A DATA going out carries the ACK this engine owes
 * the peer, if any ({@link ReceiveSession#ackToInclude()}, taken in {@code flush} without this lock).
 */
final class SendSession {

    /** A packet is lost when one sent this many packets later was acknowledged (and it is old enough). */
    static final int REORDER_THRESHOLD = 3;
    /** Packets resent when the RTO fires: the oldest unacknowledged ones; SACK recovery finds the rest. */
    static final int RTO_PROBES = 2;
    /** Multiplicative decrease of the congestion window on loss. */
    static final double DECREASE = 0.7;

    final InetSocketAddress target;
    final PeerAddress peer;
    final int session;
    private final UdpTransportEngine engine;

    /** A datagram waiting for {@link #flush()}; {@code data}: a DATA packet, which may carry an ACK. */
    private record Outgoing(ByteBuffer datagram, boolean data) {
    }

    /** Datagrams to send once the lock is released, in order; see {@link #flush()}. */
    private final ConcurrentLinkedQueue<Outgoing> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final ArrayDeque<PendingSend> queue = new ArrayDeque<>();
    private final ArrayDeque<PendingSend> unfinished = new ArrayDeque<>();
    private final PacketRing sent = new PacketRing();
    private final RttEstimator rtt = new RttEstimator();
    private int headOffset;
    private long queuedBytes;
    private long nextSeq = 1;
    private long cumAcked;
    private int outstanding;
    private int peerWindow;
    private int peerIncarnation;
    private double cwnd;
    private int ssthresh = Integer.MAX_VALUE;
    private long recoveryPoint;
    private long largestAcked;
    private long lastAckNanos;
    private long lastProbeNanos;
    private long rtoDeadline;
    private final long createdNanos;
    private long lastHeardNanos;
    private long lastSentNanos;
    private long lastUseNanos;
    private long lastPingNanos;
    private long pingTimestamp;
    private boolean closed;
    private String state = "active";
    // per-session counters
    private long messagesSent;
    private long messagesDelivered;
    private long messagesFailed;
    private long retransmitted;

    SendSession(UdpTransportEngine engine, InetSocketAddress target, PeerAddress peer, int session, long now) {
        this.engine = engine;
        this.target = target;
        this.peer = peer;
        this.session = session;
        TransportSettings settings = engine.settings();
        this.cwnd = settings.initialWindowPackets();
        this.peerWindow = settings.receiveWindowPackets();
        this.createdNanos = now;
        this.lastHeardNanos = now;
        this.lastUseNanos = now;
    }

    /**
     * Queues a message and transmits what the windows allow. Returns false when the session is
     * already closed (the caller opens a fresh one); a refusal completes the send via {@code done}.
     */
    synchronized boolean offer(PendingSend send, long now, Completions done) {
        if (closed) {
            return false;
        }
        TransportSettings settings = engine.settings();
        if (queuedBytes + send.utf8.length > settings.maxQueuedBytesPerPeer()) {
            fail(send, "send queue full: " + queuedBytes + " bytes already waiting for " + peer + " (max "
                    + settings.maxQueuedBytesPerPeer() + ")", done);
            return true;
        }
        send.deadlineNanos = now + settings.nanos(settings.deliveryTimeoutMillis());
        queue.addLast(send);
        unfinished.addLast(send);
        queuedBytes += send.utf8.length;
        lastUseNanos = now;
        messagesSent++;
        engine.counters().messagesSent.incrementAndGet();
        pump(now);
        return true;
    }

    /** Packs queued messages into new packets while both windows have room. */
    private void pump(long now) {
        TransportSettings settings = engine.settings();
        int window = Math.min((int) cwnd, settings.maxWindowPackets());
        // Room for an ACK in every packet while the peer is sending to us too, so ACKs can ride along.
        int reserve = !queue.isEmpty() && engine.expectsToOweAcks(target, now) ? FrameCodec.INCLUDED_ACK_RESERVE : 0;
        while (!queue.isEmpty() && outstanding < window && nextSeq <= cumAcked + peerWindow) {
            long seq = nextSeq++;
            ByteBuffer data = FrameCodec.startData(session, engine.incarnation(), seq);
            while (!queue.isEmpty()) {
                PendingSend head = queue.peekFirst();
                int left = head.utf8.length - headOffset;
                byte[] id = headOffset == 0 ? head.id : null; // the id goes in the FIRST chunk, whole
                int room = FrameCodec.room(data) - FrameCodec.CHUNK_HEADER - reserve - FrameCodec.idBytes(id);
                if (room < 0 || (room == 0 && left > 0)) {
                    break;
                }
                int n = Math.min(left, room);
                int flags = (headOffset == 0 ? FrameCodec.CHUNK_FIRST : 0) | (n == left ? FrameCodec.CHUNK_LAST : 0);
                FrameCodec.putChunk(data, flags, id, head.utf8, headOffset, n);
                if (n < left) {
                    headOffset += n;
                    break;
                }
                head.lastSeq = seq;
                queue.pollFirst();
                queuedBytes -= head.utf8.length;
                headOffset = 0;
            }
            if (queue.isEmpty() || outstanding + 1 >= window || nextSeq > cumAcked + peerWindow) {
                // Nothing follows until an ACK comes: ask for it at once rather than after a drain or tick.
                FrameCodec.setAckNow(data);
            }
            data.flip();
            PacketRing.Packet packet = new PacketRing.Packet(seq, data, now);
            sent.add(packet);
            outstanding++;
            engine.counters().packetsSent.incrementAndGet();
            transmit(packet, now);
            if (rtoDeadline == 0) {
                rtoDeadline = now + rto();
            }
        }
    }

    private void transmit(PacketRing.Packet packet, long now) {
        packet.lastSentNanos = now;
        packet.transmissions++;
        lastSentNanos = now;
        outbox.add(new Outgoing(packet.datagram.duplicate(), true));
    }

    /** Queues a datagram for {@link #flush()}: nothing is sent while the session lock is held. */
    private void send(ByteBuffer datagram) {
        outbox.add(new Outgoing(datagram, false));
    }

    /**
     * Sends the queued datagrams in the order they were queued. Called without the session lock by
     * every thread that worked on the session (after {@code offer}, {@code onAck}, {@code onTick}):
     * a thread that finds another one flushing leaves its datagrams to it (and that one looks again
     * after letting go), so no thread waits for another's system call and the order is kept. Holding
     * the session lock across a send let a preempted sender stall the receive thread's ACK handling
     * (and so every delivery receipt) for tens of microseconds.
     */
    void flush() {
        while (!outbox.isEmpty() && flushing.compareAndSet(false, true)) {
            try {
                Outgoing next;
                while ((next = outbox.poll()) != null) {
                    ByteBuffer datagram = next.data() ? withOwedAck(next.datagram()) : next.datagram();
                    try {
                        engine.io().send(datagram, target);
                    } catch (IOException | RuntimeException e) {
                        // Like a lost datagram: the RTO timer resends it, the deadline ends hopeless cases.
                        engine.counters().ioErrors.incrementAndGet();
                        engine.warnIo("UDP send to {} failed: {}", peer, e);
                    }
                }
            } finally {
                flushing.set(false);
            }
        }
    }

    /**
     * The DATA with the ACK we owe this peer included, if one is owed and the peer takes them, so the
     * ACK needs no datagram of its own. Taken as the datagram leaves (the freshest state) and without
     * this session's lock, so the two sessions' locks are never held together.
     */
    private ByteBuffer withOwedAck(ByteBuffer data) {
        Frame.Ack ack = engine.ackToInclude(target, FrameCodec.MAX_UNFRAGMENTED_DATAGRAM - data.remaining());
        if (ack == null) {
            return data;
        }
        engine.counters().acksPiggybacked.incrementAndGet();
        return FrameCodec.includeAck(data, ack);
    }

    private void retransmit(PacketRing.Packet packet, long now) {
        retransmitted++;
        engine.counters().packetsRetransmitted.incrementAndGet();
        transmit(packet, now);
    }

    private long rto() {
        TransportSettings s = engine.settings();
        return rtt.rtoNanos(s.nanos(s.initialRtoMillis()), s.nanos(s.minRtoMillis()), s.nanos(s.maxRtoMillis()));
    }

    /** An ACK for this peer address (receive thread). */
    synchronized void onAck(Frame.Ack ack, long now, Completions done) {
        if (closed) {
            return;
        }
        if (ack.session() != session) {
            engine.counters().staleFrames.incrementAndGet();
            return;
        }
        if (ack.cumulative() >= nextSeq || (ack.rangeCount() > 0 && ack.ranges()[ack.ranges().length - 1] >= nextSeq)) {
            // Acknowledges packets never sent: a confused or forged peer. Ignore the whole frame.
            engine.counters().staleFrames.incrementAndGet();
            return;
        }
        if (peerIncarnation == 0) {
            peerIncarnation = ack.incarnation();
        } else if (ack.incarnation() != peerIncarnation) {
            peerRestarted(now, done);
            return;
        }
        engine.counters().acksReceived.incrementAndGet();
        lastHeardNanos = now;
        lastAckNanos = now;
        peerWindow = ack.window();
        if (ack.echo() != 0 && ack.echo() == pingTimestamp) {
            rtt.sample(now - pingTimestamp);
            pingTimestamp = 0;
        }
        int newlyAcked = 0;
        PacketRing.Packet newestClean = null;
        while (!sent.isEmpty() && sent.first().seq <= ack.cumulative()) {
            PacketRing.Packet packet = sent.removeFirst();
            if (!packet.acked) {
                newlyAcked++;
                if (packet.transmissions == 1) {
                    newestClean = packet;
                }
            }
        }
        if (ack.cumulative() > cumAcked) {
            cumAcked = ack.cumulative();
        }
        long largestAcked = cumAcked;
        long[] ranges = ack.ranges();
        for (int r = 0; r < ranges.length; r += 2) {
            for (long seq = Math.max(ranges[r], cumAcked + 1); seq <= ranges[r + 1]; seq++) {
                PacketRing.Packet packet = sent.get(seq);
                if (packet != null && !packet.acked) {
                    packet.acked = true;
                    newlyAcked++;
                    if (packet.transmissions == 1 && (newestClean == null || packet.seq > newestClean.seq)) {
                        newestClean = packet;
                    }
                }
            }
            largestAcked = Math.max(largestAcked, ranges[r + 1]);
        }
        if (newlyAcked > 0) {
            outstanding -= newlyAcked;
            if (newestClean != null) {
                rtt.sample(now - newestClean.firstSentNanos); // Karn: only packets sent once
            }
            grow(newlyAcked);
            rtoDeadline = outstanding > 0 ? now + rto() : 0;
        }
        this.largestAcked = Math.max(this.largestAcked, largestAcked);
        detectLosses(this.largestAcked, REORDER_THRESHOLD, now);
        while (!unfinished.isEmpty()) {
            PendingSend head = unfinished.peekFirst();
            if (head.lastSeq == 0 || head.lastSeq > cumAcked) {
                break;
            }
            unfinished.pollFirst();
            messagesDelivered++;
            engine.counters().messagesDelivered.incrementAndGet();
            done.add(head, Completions.DELIVERED);
        }
        if (!unfinished.isEmpty()) {
            lastUseNanos = now;
        }
        pump(now);
    }

    /** AIMD increase: one packet per ack in slow start, one packet per window afterwards. */
    private void grow(int acked) {
        int max = engine.settings().maxWindowPackets();
        for (int i = 0; i < acked && cwnd < max; i++) {
            cwnd += cwnd < ssthresh ? 1 : 1 / cwnd;
        }
        cwnd = Math.min(cwnd, max);
    }

    /**
     * AIMD decrease by {@link #DECREASE} (as CUBIC, gentler than Reno's 1/2 under random loss), once
     * per window of data: loss of packets sent before the last decrease is old news.
     */
    private void congestion(long lostSeq) {
        if (lostSeq > recoveryPoint) {
            int min = engine.settings().minWindowPackets();
            ssthresh = Math.max(min, (int) (cwnd * DECREASE));
            cwnd = ssthresh;
            recoveryPoint = nextSeq - 1;
        }
    }

    /** Fast retransmit of packets that later acknowledged packets have overtaken, at most once per RTT each. */
    private void detectLosses(long largestAcked, int threshold, long now) {
        long minAge = rtt.hasSample() ? Math.max(rtt.srttNanos() * 9 / 8, rtt.srttNanos() + 4 * rtt.rttvarNanos()) : rto() / 2;
        for (int i = 0; i < sent.size(); i++) {
            PacketRing.Packet packet = sent.at(i);
            if (packet.seq > largestAcked - threshold) {
                break;
            }
            if (!packet.acked && now - packet.lastSentNanos >= minAge) {
                congestion(packet.seq);
                retransmit(packet, now);
            }
        }
    }

    /** Timers (tick thread): deadline, RTO, keep-alive, idle close. Returns false once the session closed. */
    synchronized boolean onTick(long now, Completions done) {
        if (closed) {
            return false;
        }
        TransportSettings settings = engine.settings();
        PendingSend oldest = unfinished.peekFirst();
        if (oldest != null && now - oldest.deadlineNanos >= 0) {
            long silentMillis = (now - lastHeardNanos) / 1_000_000;
            String reason = silentMillis >= settings.deliveryTimeoutMillis()
                    ? "peer unreachable: no answer from " + peer + " for " + silentMillis + " ms"
                    : "timed out: no acknowledgement from " + peer + " within " + settings.deliveryTimeoutMillis()
                            + " ms";
            failAll(reason, done);
            return false;
        }
        if (outstanding > 0 && rtoDeadline != 0 && now - rtoDeadline >= 0) {
            rtt.backOff();
            ssthresh = Math.max(settings.minWindowPackets(), (int) (cwnd * DECREASE));
            cwnd = settings.minWindowPackets();
            recoveryPoint = nextSeq - 1;
            int resent = 0;
            for (int i = 0; i < sent.size() && resent < RTO_PROBES; i++) {
                PacketRing.Packet packet = sent.at(i);
                if (!packet.acked) {
                    retransmit(packet, now);
                    resent++;
                }
            }
            rtoDeadline = now + rto();
        } else if (outstanding > 0) {
            // Time-based loss detection between ACKs: a packet overtaken by any acknowledged one and
            // unanswered for about an RTT is resent without waiting for the (much longer) RTO.
            detectLosses(largestAcked, REORDER_THRESHOLD, now);
            tailLossProbe(now);
        }
        boolean windowClosed = outstanding == 0 && !queue.isEmpty();
        if (windowClosed) {
            state = "blocked";
            if (now - lastPingNanos >= rto()) {
                ping(now); // zero-window probe: the answer carries the current window
            }
        } else if (outstanding == 0) {
            long keepAlive = settings.nanos(settings.keepAliveMillis());
            if (now - lastSentNanos >= keepAlive && now - lastHeardNanos >= keepAlive
                    && now - lastPingNanos >= keepAlive) {
                ping(now);
            }
            state = "idle";
            if (unfinished.isEmpty() && now - lastUseNanos >= settings.nanos(settings.sessionIdleMillis())) {
                close("idle");
                return false;
            }
            if (unfinished.isEmpty() && lastPingNanos > lastHeardNanos
                    && now - lastHeardNanos >= settings.nanos(settings.deliveryTimeoutMillis())) {
                close("unreachable");
                engine.logger().info("closed session to {}: no answer to keep-alives for {} ms", peer,
                        (now - lastHeardNanos) / 1_000_000);
                return false;
            }
        } else {
            state = "active";
        }
        pump(now);
        return true;
    }

    /**
     * Tail loss probe: when no ACK came for max(2 SRTT, SRTT + 4 RTTVAR) (on a steady path far below
     * the RTO, which has a floor and backs off; on a jittery one no earlier than it), the newest
     * unacknowledged packet is sent again, so a lost tail is noticed after about an RTT instead of
     * the RTO. No window reduction: the probe may well be spurious.
     */
    private void tailLossProbe(long now) {
        if (!rtt.hasSample() || sent.isEmpty()) {
            return;
        }
        long quiet = Math.max(Math.max(2 * rtt.srttNanos(), rtt.srttNanos() + 4 * rtt.rttvarNanos()),
                RttEstimator.GRANULARITY_NANOS);
        if (now - Math.max(lastAckNanos, lastProbeNanos) < quiet) {
            return;
        }
        for (int i = sent.size() - 1; i >= 0; i--) {
            PacketRing.Packet packet = sent.at(i);
            if (!packet.acked) {
                if (now - packet.lastSentNanos >= quiet) {
                    lastProbeNanos = now;
                    retransmit(packet, now);
                }
                return;
            }
        }
    }

    private void ping(long now) {
        long timestamp = now == 0 ? 1 : now;
        pingTimestamp = timestamp;
        lastPingNanos = now;
        engine.counters().pingsSent.incrementAndGet();
        send(FrameCodec.encodePing(session, engine.incarnation(), timestamp));
    }

    /**
     * The peer lost this stream's state. Messages with bytes in a transmitted packet fail (they may
     * have arrived; resending could duplicate them). Messages still wholly queued never reached it:
     * when nothing before them failed, they move, in order, to a fresh session that the engine puts
     * in this one's place while this lock is held, so no later send can overtake them; when something
     * before them failed they fail too, so that a later message never arrives before an earlier one
     * that its sender will send again.
     */
    private void peerRestarted(long now, Completions done) {
        List<PendingSend> untransmitted = new ArrayList<>(queue);
        if (headOffset > 0) {
            untransmitted.remove(0); // its first chunks went out
        }
        if (unfinished.size() > untransmitted.size()) {
            untransmitted.clear(); // an earlier message fails: the later ones fail with it
        }
        for (int i = 0; i < untransmitted.size(); i++) {
            unfinished.pollLast(); // the queue is the tail of the unfinished messages
        }
        failAll("peer restarted: " + peer + " lost this session's state; unacknowledged messages may not "
                + "have arrived", done);
        if (!untransmitted.isEmpty()) {
            engine.logger().info("{} unsent message(s) to restarted peer {} go in a fresh session",
                    untransmitted.size(), peer);
            engine.carryOver(this, untransmitted, now, done);
        }
    }

    /**
     * Takes over messages a closed session to the same peer never transmitted, ahead of anything sent
     * later, with their original deadlines; they were counted as sent already. Called before this
     * session is published, so nobody else holds its lock.
     */
    synchronized void adopt(List<PendingSend> sends, long now) {
        for (PendingSend send : sends) {
            queue.addLast(send);
            unfinished.addLast(send);
            queuedBytes += send.utf8.length;
            messagesSent++;
        }
        lastUseNanos = now;
        pump(now);
    }

    /** Fails every unfinished message with one reason and closes the session. */
    synchronized void failAll(String reason, Completions done) {
        if (closed) {
            return;
        }
        int count = unfinished.size();
        for (PendingSend send : unfinished) {
            fail(send, reason, done);
        }
        unfinished.clear();
        close("failed");
        if (count > 0 && !reason.equals(UdpTransportEngine.STOPPED)) {
            engine.logger().warn("{} message(s) to {} failed: {}", count, peer, reason);
        }
    }

    private void fail(PendingSend send, String reason, Completions done) {
        messagesFailed++;
        engine.counters().messagesFailed.incrementAndGet();
        done.add(send, Completions.failure(reason));
    }

    private void close(String why) {
        closed = true;
        state = why;
        queue.clear();
        sent.clear();
        outstanding = 0;
        queuedBytes = 0;
    }

    /** True while timers matter: packets wait for an ACK or messages for room in the windows. */
    synchronized boolean needsTimers() {
        return !closed && (outstanding > 0 || !queue.isEmpty() || !unfinished.isEmpty());
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized int inFlight() {
        return outstanding;
    }

    /** This session's figures; the receive side's are merged in by the engine. */
    synchronized PeerStats stats(long received, long duplicates) {
        return new PeerStats(peer, state, messagesSent, messagesDelivered, messagesFailed, received, retransmitted,
                duplicates, millis(rtt.srttNanos()), millis(rtt.rttvarNanos()), rto() / 1e6, outstanding, (int) cwnd,
                unfinished.size());
    }

    private static double millis(long nanos) {
        return nanos < 0 ? -1 : nanos / 1e6;
    }
}
