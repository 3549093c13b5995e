package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class WarningThrottleTest {

    @Test
    public void onePerIntervalPassesAndReportsWhatWasHeldBack() {
        AtomicLong nanos = new AtomicLong();
        WarningThrottle throttle = new WarningThrottle(nanos::get, 10_000);
        assertEquals(0, throttle.tryWarn());
        assertEquals(-1, throttle.tryWarn());
        assertEquals(-1, throttle.tryWarn());
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(9));
        assertEquals(-1, throttle.tryWarn());
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(3, throttle.tryWarn());
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertEquals(0, throttle.tryWarn());
    }
}
