package peerchat.transport.udp.internal;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Remembers which DATA ids were accepted, per (source address, sender session), so retransmitted
 * copies are acknowledged but not delivered twice. Memory is bounded: one {@link SequenceWindow} per
 * sender session, idle senders are forgotten, and at most {@code maxSenders} are kept (least recently
 * heard from goes first). Used only by the receive thread, so not thread-safe.
 */
final class DuplicateFilter {

    /** Receivers keep an idle sender at least this long; senders give up long before (see the protocol doc). */
    static final long DEFAULT_IDLE_MILLIS = TimeUnit.MINUTES.toMillis(10);
    static final int DEFAULT_MAX_SENDERS = 4096;

    record SenderKey(InetSocketAddress source, int sessionId) {
    }

    private static final class SenderState {
        final SequenceWindow window = new SequenceWindow();
        long lastHeardNanos;
    }

    private final LongSupplier nanoClock;
    private final long idleNanos;
    private final int maxSenders;
    private final long sweepIntervalNanos;
    private final Map<SenderKey, SenderState> senders = new LinkedHashMap<>(16, 0.75f, true);
    private long lastSweepNanos;
    private long evicted;

    DuplicateFilter(LongSupplier nanoClock, long idleMillis, int maxSenders) {
        this.nanoClock = nanoClock;
        this.idleNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        this.maxSenders = maxSenders;
        this.sweepIntervalNanos = Math.max(1, idleNanos / 4);
        this.lastSweepNanos = nanoClock.getAsLong();
    }

    DuplicateFilter() {
        this(System::nanoTime, DEFAULT_IDLE_MILLIS, DEFAULT_MAX_SENDERS);
    }

    /** True when this id was already accepted from this sender session. */
    boolean isDuplicate(InetSocketAddress source, int sessionId, long messageId) {
        long now = nanoClock.getAsLong();
        sweepIdle(now);
        SenderState state = senders.get(new SenderKey(source, sessionId));
        if (state == null) {
            return false;
        }
        state.lastHeardNanos = now;
        return state.window.contains(messageId);
    }

    /** Records an accepted id; call only once the message is safely queued for delivery. */
    void markAccepted(InetSocketAddress source, int sessionId, long messageId) {
        long now = nanoClock.getAsLong();
        SenderState state = senders.computeIfAbsent(new SenderKey(source, sessionId), key -> new SenderState());
        state.lastHeardNanos = now;
        state.window.add(messageId);
        while (senders.size() > maxSenders) {
            removeEldest();
        }
    }

    int trackedSenders() {
        return senders.size();
    }

    /** How many sender sessions were forgotten (idle or over the limit) so far. */
    long evictedSenders() {
        return evicted;
    }

    private void sweepIdle(long now) {
        if (now - lastSweepNanos < sweepIntervalNanos) {
            return;
        }
        lastSweepNanos = now;
        // Access order: the eldest entries were heard from least recently, so stop at the first live one.
        Iterator<SenderState> it = senders.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().lastHeardNanos < idleNanos) {
                break;
            }
            it.remove();
            evicted++;
        }
    }

    private void removeEldest() {
        Iterator<SenderKey> it = senders.keySet().iterator();
        it.next();
        it.remove();
        evicted++;
    }
}
