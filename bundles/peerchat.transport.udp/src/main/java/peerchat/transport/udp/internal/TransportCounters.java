package peerchat.transport.udp.internal;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters, updated from several threads; see {@link TransportStats} for their meaning. */
final class TransportCounters {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong retransmitted = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final AtomicLong duplicatesDropped = new AtomicLong();
    final AtomicLong malformedDropped = new AtomicLong();
    final AtomicLong acksSent = new AtomicLong();
    final AtomicLong acksReceived = new AtomicLong();
    final AtomicLong staleAcks = new AtomicLong();
    final AtomicLong deliveryQueueFull = new AtomicLong();
    final AtomicLong listenerFailures = new AtomicLong();
    final AtomicLong ioErrors = new AtomicLong();

    TransportStats snapshot() {
        return new TransportStats(sent.get(), retransmitted.get(), delivered.get(), failed.get(),
                received.get(), duplicatesDropped.get(), malformedDropped.get(), acksSent.get(),
                acksReceived.get(), staleAcks.get(), deliveryQueueFull.get(), listenerFailures.get(),
                ioErrors.get());
    }
}
