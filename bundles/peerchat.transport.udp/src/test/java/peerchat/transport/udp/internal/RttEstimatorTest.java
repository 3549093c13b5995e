package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** RFC 6298 arithmetic with exact numbers (nanoseconds; 1 ms = 1,000,000). */
public class RttEstimatorTest {

    private static final long MS = 1_000_000;
    private static final long INITIAL = 200 * MS;
    private static final long MIN = 25 * MS;
    private static final long MAX = 2000 * MS;

    @Test
    public void beforeAnySampleTheInitialTimeoutApplies() {
        RttEstimator rtt = new RttEstimator();
        assertFalse(rtt.hasSample());
        assertEquals(-1, rtt.srttNanos());
        assertEquals(INITIAL, rtt.rtoNanos(INITIAL, MIN, MAX));
    }

    @Test
    public void theFirstSampleSetsSrttAndHalfOfItAsVariance() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(100 * MS);
        assertTrue(rtt.hasSample());
        assertEquals(100 * MS, rtt.srttNanos());
        assertEquals(50 * MS, rtt.rttvarNanos());
        assertEquals(300 * MS, rtt.rtoNanos(INITIAL, MIN, MAX)); // 100 + 4 * 50
    }

    @Test
    public void laterSamplesAreSmoothed() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(100 * MS);
        rtt.sample(200 * MS);
        // rttvar = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; srtt = 7/8 * 100 + 1/8 * 200 = 112.5
        assertEquals(62_500_000, rtt.rttvarNanos());
        assertEquals(112_500_000, rtt.srttNanos());
        assertEquals(362_500_000, rtt.rtoNanos(INITIAL, MIN, MAX));
    }

    @Test
    public void theTimeoutStaysWithinItsBoundsAndUsesTheGranularity() {
        RttEstimator rtt = new RttEstimator();
        rtt.sample(1000); // 1 µs on loopback
        assertEquals(MIN, rtt.rtoNanos(INITIAL, MIN, MAX));
        assertEquals(1000 + RttEstimator.GRANULARITY_NANOS, rtt.rtoNanos(INITIAL, 1, MAX)); // max(G, 4 * 500)
        RttEstimator slow = new RttEstimator();
        slow.sample(5000 * MS);
        assertEquals(MAX, slow.rtoNanos(INITIAL, MIN, MAX));
    }

    @Test
    public void eachTimeoutDoublesUpToTheMaximumAndASampleResetsTheBackoff() {
        RttEstimator rtt = new RttEstimator();
        rtt.backOff();
        assertEquals(400 * MS, rtt.rtoNanos(INITIAL, MIN, MAX));
        rtt.backOff();
        assertEquals(800 * MS, rtt.rtoNanos(INITIAL, MIN, MAX));
        rtt.backOff();
        assertEquals(1600 * MS, rtt.rtoNanos(INITIAL, MIN, MAX));
        rtt.backOff();
        assertEquals(MAX, rtt.rtoNanos(INITIAL, MIN, MAX));
        for (int i = 0; i < 100; i++) {
            rtt.backOff();
        }
        assertEquals(MAX, rtt.rtoNanos(INITIAL, MIN, MAX));
        rtt.sample(10 * MS);
        assertEquals(0, rtt.backoff());
        assertEquals(30 * MS, rtt.rtoNanos(INITIAL, MIN, MAX)); // 10 + 4 * 5
    }
}
