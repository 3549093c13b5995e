package peerchat.transport.udp.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded polling for things that happen on other threads. */
final class Await {

    private Await() {
    }

    static void until(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }
}
