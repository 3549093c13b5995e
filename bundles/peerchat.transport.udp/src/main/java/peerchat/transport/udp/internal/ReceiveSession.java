package peerchat.transport.udp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;

/**
 * The receiving half of a peer session: the packet stream one peer address sends us. Accepts each
 * packet once (everything up to {@code cumulative} plus the out-of-order packets held), reassembles
 * chunks into messages strictly in sequence order, and acknowledges with the cumulative seq, up to
 * 64 ranges of held packets and the receive window (packets beyond the cumulative seq it will
 * take, shrunk by bytes the listeners have not consumed yet). Memory is bounded by the window (held
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

    final InetSocketAddress source;
    final PeerAddress peer;
    private final UdpTransportEngine engine;
    final AtomicLong undeliveredBytes = new AtomicLong();

    private int session;
    private final int[] retired = new int[RETIRED];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int retiredNext;
    private long cumulative;
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
     * messages go to {@code deliveries}. Returns true when an ACK should go out at once (the sender
     * asked for it, duplicate, gap, or many packets unacknowledged); otherwise the ACK is sent when
     * the receive loop has drained the socket. Either way a DATA of ours may take it along first.
     */
    synchronized boolean onData(Frame.Data data, long now, List<Arrival> deliveries) {
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
        ackPending = true;
        long seq = data.seq();
        if (seq <= cumulative || held.containsKey(seq)) {
            duplicates++;
            engine.counters().duplicatesDropped.incrementAndGet();
            return true;
        }
        if (seq - cumulative > window()) {
            engine.counters().beyondWindow.incrementAndGet();
            return true;
        }
        unacked++;
        if (seq != cumulative + 1) {
            held.put(seq, data.payload());
            return true;
        }
        consume(data.payload(), now, deliveries);
        cumulative = seq;
        byte[] next;
        while ((next = held.remove(cumulative + 1)) != null) {
            consume(next, now, deliveries);
            cumulative++;
        }
        lastProgressNanos = now;
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
        cumulative = 0;
        held.clear();
        resetMessage();
        lastProgressNanos = now;
    }

    /** Appends a packet's chunks to the message under reassembly; hands over every message completed. */
    private void consume(byte[] payload, long now, List<Arrival> deliveries) {
        int at = 0;
        while (at < payload.length) {
            int flags = payload[at] & 0xFF;
            int length = ((payload[at + 1] & 0xFF) << 8) | (payload[at + 2] & 0xFF);
            int from = at + FrameCodec.CHUNK_HEADER;
            at = from + length;
            boolean first = (flags & FrameCodec.CHUNK_FIRST) != 0;
            boolean last = (flags & FrameCodec.CHUNK_LAST) != 0;
            if (first) {
                if (inMessage) {
                    malformed("message started before the previous one ended");
                }
                resetMessage();
                inMessage = true;
            } else if (!inMessage) {
                if (!skipping) {
                    malformed("message continuation without a start");
                    skipping = true;
                }
                continue;
            }
            if (partialLength + length > TransportSettings.MAX_MESSAGE_BYTES) {
                malformed("message longer than " + TransportSettings.MAX_MESSAGE_BYTES + " bytes");
                resetMessage();
                skipping = true;
                continue;
            }
            if (partialLength + length > partial.length) {
                partial = Arrays.copyOf(partial, Math.min(TransportSettings.MAX_MESSAGE_BYTES,
                        Math.max(partialLength + length, Math.max(256, partial.length * 2))));
            }
            System.arraycopy(payload, from, partial, partialLength, length);
            partialLength += length;
            if (last) {
                deliver(now, deliveries);
            }
        }
    }

    private void deliver(long now, List<Arrival> deliveries) {
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(partial, 0, partialLength)).toString(); // resets the decoder first
        } catch (CharacterCodingException e) {
            malformed("invalid UTF-8 in message text");
            resetMessage();
            return;
        }
        undeliveredBytes.addAndGet(partialLength + 1L);
        received++;
        engine.counters().messagesReceived.incrementAndGet();
        deliveries.add(new Arrival(new IncomingMessage(peer, text, Instant.now()), partialLength + 1L,
                undeliveredBytes));
        // Large buffers are not kept around for the next (usually small) message.
        if (partial.length > 64 * 1024) {
            partial = new byte[0];
        }
        resetMessage();
    }

    private void resetMessage() {
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
        return FrameCodec.encodeAck(session, engine.incarnation(), cumulative, lastAdvertised, echo, ranges);
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
            return new Frame.Ack(session, engine.incarnation(), cumulative, lastAdvertised, 0, ranges);
        }
    }

    private void acknowledged() {
        ackPending = false;
        unacked = 0;
        lastAdvertised = window();
    }

    /** The held packets as ranges (first, last), the lowest {@link FrameCodec#MAX_ACK_RANGES} of them. */
    private long[] ranges() {
        if (held.isEmpty()) { // the usual case: nothing out of order
            return NO_RANGES;
        }
        int count = 0;
        long[] ranges = new long[2 * FrameCodec.MAX_ACK_RANGES];
        long first = -1;
        long last = -1;
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
        return ackPending || undeliveredBytes.get() > 0 || !held.isEmpty() || window() > lastAdvertised;
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
