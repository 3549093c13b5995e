package peerchat.transport.udp.internal;

import java.util.function.Supplier;

/**
 * The stranger limits: what receive sessions of addresses the keeper does not know (all addresses
 * while no keeper is bound) may hold, per source and in total, in bytes (reassembly, held packets,
 * messages not yet kept or consumed) and complete messages. A session charges its usage to the
 * totals ({@link ReceiveSession#recharge()}) after every packet it takes and on every timer tick, so
 * the totals may lag behind what the listeners freed (never behind what was taken in): a packet is
 * admitted only if the totals, with it, stay within the limits. Lock order: session, then this.
 */
final class Strangers {

    private final TransportCounters counters;
    private final Supplier<TransportSettings> settings;

    Strangers(TransportCounters counters, Supplier<TransportSettings> settings) {
        this.counters = counters;
        this.settings = settings;
    }

    /**
     * Under the session's lock: true (and the packet's bytes charged) when a packet of
     * {@code bytes} payload ending {@code ends} messages fits the session's and the global limits.
     */
    synchronized boolean admit(ReceiveSession session, int bytes, int ends) {
        TransportSettings s = settings.get();
        long usageBytes = session.usageBytes();
        long usageMessages = session.usageMessages();
        if (usageBytes + bytes > s.strangerBytesPerSource()
                || usageMessages + ends > s.strangerMessagesPerSource()) {
            return false;
        }
        long totalBytes = counters.strangerBytes.get() - session.chargedBytes() + usageBytes + bytes;
        long totalMessages = counters.strangerMessages.get() - session.chargedMessages() + usageMessages + ends;
        return totalBytes <= s.strangerBytesTotal() && totalMessages <= s.strangerMessagesTotal();
    }

    /** Adds a session's change of usage to the totals (negative deltas release). */
    synchronized void charge(long bytes, long messages) {
        long b = counters.strangerBytes.addAndGet(bytes);
        long m = counters.strangerMessages.addAndGet(messages);
        counters.strangerBytesPeak.accumulateAndGet(b, Math::max);
        counters.strangerMessagesPeak.accumulateAndGet(m, Math::max);
    }

    /** True while another stranger session may be opened. */
    boolean roomForSession() {
        return counters.strangerSessions.get() < settings.get().maxStrangerSessions();
    }
}
