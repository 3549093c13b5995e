package peerchat.chat.core.internal;

import static org.junit.Assert.fail;

import java.util.function.BooleanSupplier;

/** Waits for a condition with a generous timeout instead of sleeping a fixed time. */
final class Await {

    static final long PATIENCE_MILLIS = 20_000;

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + PATIENCE_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                fail("waited " + PATIENCE_MILLIS + " ms for: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
