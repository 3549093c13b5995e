package peerchat.transport.udp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;

/**
 * The receiving half of a peer session: the packet stream one peer address sends us. Accepts each
 * packet once (everything up to {@code contiguous} plus the out-of-order packets held), reassembles
 * chunks into messages strictly in sequence order and queues each complete message for the
 * {@link peerchat.api.transport.MessageKeeper} ({@link Keeping}). It acknowledges cumulatively only
 * up to the packet before the one that ends the first message not yet kept ({@link #ackCumulative()}),
 * reports the packets after that one which it has in ranges (they need no retransmission), and
 * advertises the receive window (packets beyond the cumulative seq it will take, shrunk by bytes not
 * yet kept and consumed by the listeners). Kept messages go to the listeners in stream order. Memory is bounded by the window (held
 * packets), one message of at most 1 MiB under reassembly, and the delivery backlog the window
 * accounts for. A new session id from the same address starts a fresh stream; ids of the last few
 * streams are remembered so late datagrams of an old stream cannot reset the new one. An ACK owed
 * to the peer may leave inside a DATA of ours to it instead of alone ({@link #ackToInclude()}).
 * <p>
 * Guarded by {@code this}, except {@link #undeliveredBytes} (the delivery thread lowers it); the
 * two volatile flags are also read without the lock, as a quick check by sending threads.
 */
final class ReceiveSession {

    private static final int RETIRED = 8;
    private static final long[] NO_RANGES = new long[0];

    /** A complete message for the listeners; {@code size} counts against the window until delivered. */
    record Arrival(IncomingMessage message, long size, AtomicLong backlog) {
    }

    /**
     * A complete reliable message waiting to be kept; guarded by the session. {@code attempt} numbers
     * the offers, so that the outcome of an earlier offer (a failed one, or one to a keeper that has
     * gone) is ignored.
     */
    static final class Entry {
        final IncomingMessage message;
        /** The packet holding the message's LAST chunk: the cumulative ACK stays below it until kept. */
        final long lastSeq;
        final long size;
        int attempt;
        boolean offered;
        boolean kept;
        int failures;
        long retryAtNanos;

        Entry(IncomingMessage message, long lastSeq, long size) {
            this.message = message;
            this.lastSeq = lastSeq;
            this.size = size;
        }
    }

    /** An offer to make: the entry and the attempt it is. */
    record Offer(Entry entry, int attempt) {
    }

    /** Backoff of a message whose keep failed: doubles from this, up to {@link #MAX_KEEP_BACKOFF_NANOS}. */
    static final long KEEP_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long MAX_KEEP_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    final InetSocketAddress source;
    final PeerAddress peer;
    private final UdpTransportEngine engine;
    final AtomicLong undeliveredBytes = new AtomicLong();
    /** Complete messages not yet consumed by the listeners (waiting for the keeper or for them). */
    final AtomicInteger undeliveredMessages = new AtomicInteger();
    /** Complete messages in stream order from the first one not kept; kept ones behind it wait here. */
    private final ArrayDeque<Entry> keeping = new ArrayDeque<>();
    /** Entries of {@code keeping} neither kept nor offered (to offer now or after a backoff). */
    private int unoffered;
    /** Whether the source was a stranger at its latest DATA (held to the stranger limits). */
    private boolean stranger;
    /** What this session has added to the engine's stranger gauges. */
    private long chargedBytes;
    private long chargedMessages;
    private long heldBytes;
    private int heldEnds;
    private String partialId;
    /** Set once the engine forgot this session: it takes nothing more. */
    private boolean forgotten;

    private int session;
    private final int[] retired = new int[RETIRED];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int retiredNext;
    /** Every packet up to this one was received and consumed (the cumulative ACK may be lower). */
    private long contiguous;
    private final TreeMap<Long, byte[]> held = new TreeMap<>();
    private byte[] partial = new byte[0];
    private int partialLength;
    private boolean inMessage;
    private boolean skipping;
    private long lastHeardNanos;
    private long lastProgressNanos;
    private int unacked;
    private volatile boolean ackPending;
    /** The current stream's sender accepts included ACKs (its latest DATA said so). */
    private volatile boolean peerTakesIncludedAcks;
    /** When the latest DATA came; read without the lock by {@link #expectsToOweAcks}. */
    private volatile long lastDataNanos;
    private int lastAdvertised;
    private long received;
    private long duplicates;

    ReceiveSession(UdpTransportEngine engine, InetSocketAddress source, int session, long now) {
        this.engine = engine;
        this.source = source;
        this.peer = new PeerAddress(source.getAddress().getHostAddress(), source.getPort());
        this.session = session;
        this.lastHeardNanos = now;
        this.lastProgressNanos = now;
    }

    /**
     * A DATA packet from our peer (its included ACK, if any, is the engine's business). Complete
     * messages wait in this session for the keeper. Returns true when an ACK should go out at once
     * (the sender asked for it, duplicate, gap, or many packets unacknowledged); otherwise the ACK is
     * sent when the receive loop has drained the socket. Either way a DATA of ours may take it along
     * first. {@code stranger}: the source is held to the stranger limits; a packet beyond them is
     * dropped without an ACK and counted.
     */
    synchronized boolean onData(Frame.Data data, long now, boolean stranger) {
        if (forgotten) {
            return false;
        }
        if (data.session() != session) {
            for (int id : retired) {
                if (id == data.session() && id != 0) {
                    engine.counters().staleFrames.incrementAndGet();
                    return false;
                }
            }
            restart(data.session(), now);
        }
        lastHeardNanos = now;
        lastDataNanos = now;
        peerTakesIncludedAcks = data.piggybackOk();
        long seq = data.seq();
        if (seq <= contiguous || held.containsKey(seq)) {
            ackPending = true;
            duplicates++;
            engine.counters().duplicatesDropped.incrementAndGet();
            return true;
        }
        if (seq - contiguous > window()) {
            ackPending = true;
            engine.counters().beyondWindow.incrementAndGet();
            return true;
        }
        becomeStranger(stranger);
        if (stranger && !engine.strangers().admit(this, data.payload().length,
                FrameCodec.messageEnds(data.payload()))) {
            engine.counters().strangerDropped.incrementAndGet();
            return false; // like a lost packet: no ACK, the sender resends it (or gives up)
        }
        ackPending = true;
        unacked++;
        if (seq != contiguous + 1) {
            held.put(seq, data.payload());
            heldBytes += data.payload().length;
            heldEnds += FrameCodec.messageEnds(data.payload());
            recharge();
            return true;
        }
        consume(data.payload(), seq, now);
        contiguous = seq;
        byte[] next;
        while ((next = held.remove(contiguous + 1)) != null) {
            heldBytes -= next.length;
            heldEnds -= FrameCodec.messageEnds(next);
            consume(next, contiguous + 1, now);
            contiguous++;
        }
        lastProgressNanos = now;
        recharge();
        return data.ackNow() || unacked >= 16 || !held.isEmpty();
    }

    private void restart(int newSession, long now) {
        if (session != 0) {
            retired[retiredNext] = session;
            retiredNext = (retiredNext + 1) % RETIRED;
        }
        engine.logger().debug("new session {} from {} (was {})", Integer.toHexString(newSession), peer,
                Integer.toHexString(session));
        session = newSession;
        contiguous = 0;
        held.clear();
        heldBytes = 0;
        heldEnds = 0;
        discardUnkept();
        resetMessage();
        lastProgressNanos = now;
        recharge();
    }

    /**
     * Forgets the messages of the old stream that were not kept: their sender has failed them (a new
     * stream starts only after that) and may send them again; outcomes of their offers are ignored.
     */
    private void discardUnkept() {
        for (Entry entry : keeping) {
            entry.attempt++;
            entry.offered = false;
            undeliveredBytes.addAndGet(-entry.size);
            undeliveredMessages.decrementAndGet();
            engine.counters().awaitingKeep.decrementAndGet();
        }
        keeping.clear();
        unoffered = 0;
    }

    /** The engine forgets this session: releases what it holds and what it charged to the strangers. */
    synchronized void retire() {
        forgotten = true;
        held.clear();
        heldBytes = 0;
        heldEnds = 0;
        discardUnkept();
        resetMessage();
        becomeStranger(false);
        recharge();
    }

    /** Keeps the engine's count of stranger sessions in step with this session's status. */
    private void becomeStranger(boolean now) {
        if (now != stranger) {
            stranger = now;
            engine.counters().strangerSessions.addAndGet(now ? 1 : -1);
        }
    }

    synchronized boolean isStranger() {
        return stranger;
    }

    /** Bytes this stream holds now: reassembly, held packets, messages not yet kept or consumed. */
    synchronized long usageBytes() {
        return undeliveredBytes.get() + partialLength + heldBytes;
    }

    /** Messages this stream holds now: complete ones not yet consumed, and the ends in held packets. */
    synchronized long usageMessages() {
        return undeliveredMessages.get() + heldEnds;
    }

    /** What this session charges to the engine's stranger gauges now (0 unless it is a stranger). */
    synchronized long chargedBytes() {
        return chargedBytes;
    }

    synchronized long chargedMessages() {
        return chargedMessages;
    }

    /** Brings this session's charge to the stranger gauges up to date (its usage, or 0 if known). */
    synchronized void recharge() {
        long bytes = stranger ? usageBytes() : 0;
        long messages = stranger ? usageMessages() : 0;
        if (bytes != chargedBytes || messages != chargedMessages) {
            engine.strangers().charge(bytes - chargedBytes, messages - chargedMessages);
            chargedBytes = bytes;
            chargedMessages = messages;
        }
    }

    /** Appends a packet's chunks to the message under reassembly; queues every message completed for the keeper. */
    private void consume(byte[] payload, long seq, long now) {
        FrameCodec.chunks(payload, (first, last, id, bytes, from, length) -> {
            if (first) {
                if (inMessage) {
                    malformed("message started before the previous one ended");
                }
                resetMessage();
                inMessage = true;
                partialId = id;
            } else if (!inMessage) {
                if (!skipping) {
                    malformed("message continuation without a start");
                    skipping = true;
                }
                return;
            }
            if (partialLength + length > TransportSettings.MAX_MESSAGE_BYTES) {
                malformed("message longer than " + TransportSettings.MAX_MESSAGE_BYTES + " bytes");
                resetMessage();
                skipping = true;
                return;
            }
            if (partialLength + length > partial.length) {
                partial = Arrays.copyOf(partial, Math.min(TransportSettings.MAX_MESSAGE_BYTES,
                        Math.max(partialLength + length, Math.max(256, partial.length * 2))));
            }
            System.arraycopy(bytes, from, partial, partialLength, length);
            partialLength += length;
            if (last) {
                complete(seq);
            }
        });
    }

    private void complete(long seq) {
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(partial, 0, partialLength)).toString(); // resets the decoder first
        } catch (CharacterCodingException e) {
            malformed("invalid UTF-8 in message text");
            resetMessage();
            return;
        }
        undeliveredBytes.addAndGet(partialLength + 1L);
        undeliveredMessages.incrementAndGet();
        engine.counters().awaitingKeep.incrementAndGet();
        keeping.addLast(new Entry(new IncomingMessage(peer, text, Instant.now(), false, partialId), seq,
                partialLength + 1L));
        unoffered++;
        // Large buffers are not kept around for the next (usually small) message.
        if (partial.length > 64 * 1024) {
            partial = new byte[0];
        }
        resetMessage();
    }

    // --- keeping -----------------------------------------------------------------------------

    /**
     * The messages to offer to the keeper now, in stream order, each marked offered (a new attempt):
     * those not kept and not being kept, up to the first one still waiting for its retry time (none
     * is offered before an earlier one that needs offering again).
     */
    synchronized List<Offer> takeOffers(long now) {
        List<Offer> offers = null;
        for (Entry entry : keeping) {
            if (entry.kept || entry.offered) {
                continue;
            }
            if (entry.failures > 0 && now - entry.retryAtNanos < 0) {
                break;
            }
            entry.offered = true;
            entry.attempt++;
            unoffered--;
            if (offers == null) {
                offers = new ArrayList<>();
            }
            offers.add(new Offer(entry, entry.attempt));
        }
        return offers == null ? List.of() : offers;
    }

    /** True when a message waits to be offered (now or after its backoff). */
    synchronized boolean hasUnoffered() {
        return unoffered > 0;
    }

    /** True when the first message waiting to be offered may be offered now (a retry whose time came). */
    synchronized boolean hasDueRetry(long now) {
        if (unoffered == 0) {
            return false;
        }
        for (Entry entry : keeping) {
            if (!entry.kept && !entry.offered) {
                return entry.failures == 0 || now - entry.retryAtNanos >= 0;
            }
        }
        return false;
    }

    /** A new keeper (or none): offers made to the old one count no more; their messages are offered anew. */
    synchronized void forgetOffers() {
        for (Entry entry : keeping) {
            if (entry.offered) {
                entry.offered = false;
                entry.attempt++;
                unoffered++;
            }
            entry.retryAtNanos = 0;
            entry.failures = 0;
        }
    }

    /**
     * The outcome of an offer. Returns true when the cumulative ACK moved (the first unkept message
     * was kept): the kept messages at the front went to the listeners, and an ACK is owed.
     */
    synchronized boolean kept(Offer offer, Throwable failure, long now) {
        Entry entry = offer.entry();
        if (entry.attempt != offer.attempt() || !entry.offered) {
            return false; // an offer that no longer counts (keeper replaced, stream restarted)
        }
        entry.offered = false;
        if (failure != null) {
            unoffered++;
            entry.failures++;
            entry.retryAtNanos = now + Math.min(MAX_KEEP_BACKOFF_NANOS,
                    KEEP_BACKOFF_NANOS << Math.min(16, entry.failures - 1));
            engine.counters().keepFailures.incrementAndGet();
            return false;
        }
        entry.kept = true;
        engine.counters().messagesKept.incrementAndGet();
        engine.counters().awaitingKeep.decrementAndGet();
        boolean moved = false;
        while (!keeping.isEmpty() && keeping.peekFirst().kept) {
            Entry done = keeping.pollFirst();
            received++;
            engine.counters().messagesReceived.incrementAndGet();
            // Queued under this lock, so messages of one sender reach the listeners in stream order.
            engine.deliverKept(done.message, undeliveredBytes, done.size, undeliveredMessages);
            moved = true;
        }
        if (moved) {
            ackPending = true;
            lastProgressNanos = now;
        }
        return moved;
    }

    /** Messages waiting for the keeper or a retry (tests, stats). */
    synchronized int unkept() {
        return keeping.size();
    }

    /** The cumulative seq we acknowledge: below the packet that ends the first message not yet kept. */
    private long ackCumulative() {
        Entry first = keeping.peekFirst();
        return first == null ? contiguous : first.lastSeq - 1;
    }

    private void resetMessage() {
        partialId = null;
        partialLength = 0;
        inMessage = false;
        skipping = false;
    }

    private void malformed(String why) {
        engine.counters().malformedDropped.incrementAndGet();
        engine.warnMalformed("dropped part of the stream from {}: {}", peer, why);
    }

    /** Packets beyond the cumulative seq we accept now: the receive window less the undelivered backlog. */
    private int window() {
        int backlog = (int) Math.min(Integer.MAX_VALUE,
                (undeliveredBytes.get() + FrameCodec.MAX_PAYLOAD - 1) / FrameCodec.MAX_PAYLOAD);
        return Math.max(0, engine.settings().receiveWindowPackets() - backlog);
    }

    /** The ACK for this stream, answering a PING when {@code echo} is not 0. */
    synchronized ByteBuffer ack(long echo) {
        long[] ranges = ranges();
        acknowledged();
        return FrameCodec.encodeAck(session, engine.incarnation(), ackCumulative(), lastAdvertised, echo, ranges);
    }

    /**
     * True while the peer takes included ACKs and sent DATA within {@code recentNanos}: DATA going to
     * it is then likely to have an ACK to take along. Lock-free, for the send session's packing.
     */
    boolean expectsToOweAcks(long now, long recentNanos) {
        return peerTakesIncludedAcks && now - lastDataNanos < recentNanos;
    }

    /** The ACK if one is owed (data arrived since the last one went out, in any form), else null. */
    synchronized ByteBuffer pendingAck() {
        return ackPending ? ack(0) : null;
    }

    /**
     * The owed ACK, to be included in a DATA going to this peer, which then counts as sent; null when
     * none is owed, the peer does not take included ACKs, or it needs more ranges than fit in
     * {@code room} bytes or {@link FrameCodec#MAX_INCLUDED_ACK_RANGES} (the usual standalone ACK then
     * goes out as it would have).
     */
    Frame.Ack ackToInclude(int room) {
        if (!ackPending || !peerTakesIncludedAcks) {
            return null; // the usual answer, without waiting for the receive thread's lock
        }
        synchronized (this) {
            if (!ackPending || !peerTakesIncludedAcks) {
                return null;
            }
            long[] ranges = ranges();
            int count = ranges.length / 2;
            if (count > FrameCodec.MAX_INCLUDED_ACK_RANGES || FrameCodec.INCLUDED_ACK_BODY + 16 * count > room) {
                return null;
            }
            acknowledged();
            return new Frame.Ack(session, engine.incarnation(), ackCumulative(), lastAdvertised, 0, ranges);
        }
    }

    private void acknowledged() {
        ackPending = false;
        unacked = 0;
        lastAdvertised = window();
    }

    /** Packets received beyond the cumulative ACK as ranges (first, last), the lowest {@link FrameCodec#MAX_ACK_RANGES} of them. */
    private long[] ranges() {
        long cumulative = ackCumulative();
        boolean waiting = contiguous > cumulative + 1; // packets after the one the keeper holds up
        if (held.isEmpty() && !waiting) { // the usual case: nothing out of order, nothing waits
            return NO_RANGES;
        }
        int count = 0;
        long[] ranges = new long[2 * FrameCodec.MAX_ACK_RANGES];
        // Received and consumed but not acknowledgeable yet: the packet after the cumulative seq ends
        // a message being kept and cannot be reported (a range must leave a gap); those after it can.
        long first = waiting ? cumulative + 2 : -1;
        long last = waiting ? contiguous : -1;
        for (Map.Entry<Long, byte[]> entry : held.entrySet()) {
            long seq = entry.getKey();
            if (first >= 0 && seq == last + 1) {
                last = seq;
                continue;
            }
            if (first >= 0) {
                ranges[2 * count] = first;
                ranges[2 * count + 1] = last;
                if (++count == FrameCodec.MAX_ACK_RANGES) {
                    first = -1;
                    break;
                }
            }
            first = seq;
            last = seq;
        }
        if (first >= 0 && count < FrameCodec.MAX_ACK_RANGES) {
            ranges[2 * count] = first;
            ranges[2 * count + 1] = last;
            count++;
        }
        return Arrays.copyOf(ranges, 2 * count);
    }

    synchronized int session() {
        return session;
    }

    synchronized void heard(long now) {
        lastHeardNanos = now;
    }

    /**
     * Timers: returns an ACK to send (pending, or a window update after the listeners caught up),
     * null if none; {@link #expired} says whether to forget the session.
     */
    synchronized ByteBuffer onTick() {
        if (ackPending) {
            return ack(0);
        }
        int window = window();
        int step = Math.max(1, engine.settings().receiveWindowPackets() / 4);
        if (window > lastAdvertised && (lastAdvertised == 0 || window - lastAdvertised >= step)) {
            return ack(0);
        }
        return null;
    }

    /**
     * True while timers matter: an ACK is owed, or listeners still hold bytes of this stream (a
     * window update may follow), or packets wait behind a gap.
     */
    synchronized boolean needsTimers() {
        return ackPending || undeliveredBytes.get() > 0 || !held.isEmpty() || window() > lastAdvertised
                || (!keeping.isEmpty() && engine.hasKeeper());
    }

    /** Silent for twice the session idle time, or a partial message/gap without progress for that long. */
    synchronized String expired(long now) {
        TransportSettings settings = engine.settings();
        long idle = 2 * settings.nanos(settings.sessionIdleMillis());
        if (now - lastHeardNanos >= idle) {
            return "silent";
        }
        long reassembly = 2 * settings.nanos(settings.deliveryTimeoutMillis());
        if ((inMessage || !held.isEmpty()) && now - lastProgressNanos >= reassembly) {
            return "reassembly timed out (" + held.size() + " packets held, " + partialLength + " bytes partial)";
        }
        return null;
    }

    synchronized long received() {
        return received;
    }

    synchronized long duplicates() {
        return duplicates;
    }
}
