package peerchat.transport.udp.internal;

/**
 * Round-trip estimate and retransmission timeout per RFC 6298: the first sample R sets
 * SRTT = R and RTTVAR = R/2; later ones RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| and
 * SRTT = 7/8 SRTT + 1/8 R; RTO = SRTT + max(G, 4 RTTVAR), kept within [min, max]. Each timeout
 * doubles the RTO (exponential backoff) until a fresh sample arrives (Karn: samples come only from
 * packets sent once). Times in nanoseconds. Not thread-safe (owned by one session, under its lock).
 */
final class RttEstimator {

    /** Clock granularity G: the timer tick is coarser than anything the JVM measures. */
    static final long GRANULARITY_NANOS = 1_000_000;

    private long srtt = -1;
    private long rttvar = -1;
    private int backoff;

    void sample(long rttNanos) {
        long r = Math.max(1, rttNanos);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        backoff = 0;
    }

    /** A retransmission timer expired: the next RTO is twice as long (up to the maximum). */
    void backOff() {
        if (backoff < 30) {
            backoff++;
        }
    }

    boolean hasSample() {
        return srtt >= 0;
    }

    /** Smoothed RTT in nanoseconds, -1 before the first sample. */
    long srttNanos() {
        return srtt;
    }

    long rttvarNanos() {
        return rttvar;
    }

    int backoff() {
        return backoff;
    }

    /**
     * The current retransmission timeout: {@code initialNanos} before any sample, else
     * SRTT + max(G, 4 RTTVAR); then clamped to [min, max] and doubled per backoff step (still at
     * most max).
     */
    long rtoNanos(long initialNanos, long minNanos, long maxNanos) {
        long base = srtt < 0 ? initialNanos : srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar);
        long rto = Math.min(Math.max(base, minNanos), maxNanos);
        for (int i = 0; i < backoff && rto < maxNanos; i++) {
            rto *= 2;
        }
        return Math.min(rto, maxNanos);
    }
}
