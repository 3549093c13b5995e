package peerchat.transport.udp.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Lets one warning through per interval so a flood of bad datagrams cannot flood the log; the
 * next warning that passes reports how many were held back. Thread-safe.
 */
final class WarningThrottle {

    static final long DEFAULT_INTERVAL_MILLIS = 10_000;

    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private boolean warnedBefore;
    private long lastWarningNanos;
    private long suppressed;

    WarningThrottle(LongSupplier nanoClock, long intervalMillis) {
        this.nanoClock = nanoClock;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
    }

    WarningThrottle() {
        this(System::nanoTime, DEFAULT_INTERVAL_MILLIS);
    }

    /**
     * Returns -1 when this warning should be held back (log it at DEBUG instead), otherwise the
     * number held back since the last one that passed.
     */
    synchronized long tryWarn() {
        long now = nanoClock.getAsLong();
        if (warnedBefore && now - lastWarningNanos < intervalNanos) {
            suppressed++;
            return -1;
        }
        warnedBefore = true;
        lastWarningNanos = now;
        long heldBack = suppressed;
        suppressed = 0;
        return heldBack;
    }
}
