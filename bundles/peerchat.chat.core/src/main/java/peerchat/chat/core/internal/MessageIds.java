package peerchat.chat.core.internal;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Stable message ids that sort by creation time: 12 hex digits of milliseconds, a per-process
 * counter and 16 hex digits of randomness ({@code 0193a5c2f1e0-000001-9f2c…}). Receivers keep a unique
 * index on them; ids that grow land at the end of it instead of at random places (random UUIDs cost
 * a page split here and there on every insert).
 */
final class MessageIds {

    private final LongSupplier millis;
    private final AtomicLong counter = new AtomicLong();
    private final long random;

    MessageIds(LongSupplier millis) {
        this.millis = millis;
        this.random = new SecureRandom().nextLong();
    }

    String next() {
        long n = counter.incrementAndGet();
        return String.format(java.util.Locale.ROOT, "%012x-%06x-%016x", millis.getAsLong(), n & 0xFFFFFF, random ^ (n * 0x9E3779B97F4A7C15L));
    }
}
