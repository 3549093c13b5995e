package peerchat.transport.udp.internal;

/**
 * Timing of the reliable send. The first retransmission waits {@code retransmitMillis}, each next
 * one twice as long, at most {@code maxRetransmitMillis}; after {@code deliveryTimeoutMillis} the
 * send fails.
 */
record TransportSettings(long retransmitMillis, long maxRetransmitMillis, long deliveryTimeoutMillis) {

    static final long DEFAULT_RETRANSMIT_MILLIS = 200;
    static final long DEFAULT_MAX_RETRANSMIT_MILLIS = 2000;
    static final long DEFAULT_DELIVERY_TIMEOUT_MILLIS = 30_000;
    /** Senders give up well before receivers forget them (DuplicateFilter.DEFAULT_IDLE_MILLIS). */
    static final long MAX_DELIVERY_TIMEOUT_MILLIS = 300_000;

    TransportSettings {
        if (retransmitMillis < 1) {
            throw new IllegalArgumentException("retransmitMillis must be at least 1, was " + retransmitMillis);
        }
        if (maxRetransmitMillis < retransmitMillis) {
            throw new IllegalArgumentException("maxRetransmitMillis (" + maxRetransmitMillis
                    + ") must not be below retransmitMillis (" + retransmitMillis + ")");
        }
        if (deliveryTimeoutMillis < 1 || deliveryTimeoutMillis > MAX_DELIVERY_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("deliveryTimeoutMillis must be 1.." + MAX_DELIVERY_TIMEOUT_MILLIS
                    + ", was " + deliveryTimeoutMillis);
        }
    }

    static TransportSettings defaults() {
        return new TransportSettings(DEFAULT_RETRANSMIT_MILLIS, DEFAULT_MAX_RETRANSMIT_MILLIS,
                DEFAULT_DELIVERY_TIMEOUT_MILLIS);
    }

    /** The configured first delay with the usual cap, raised if the first delay is already above it. */
    static TransportSettings of(long retransmitMillis, long deliveryTimeoutMillis) {
        return new TransportSettings(retransmitMillis, Math.max(DEFAULT_MAX_RETRANSMIT_MILLIS, retransmitMillis),
                deliveryTimeoutMillis);
    }
}
