package peerchat.transport.udp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;

/** One message on its way: from send() until its result completes (exactly once, via the future). */
final class PendingSend {
    final PeerAddress to;
    final InetSocketAddress target;
    final byte[] utf8Text;
    final CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
    /** Set by whoever completes the send first; {@link #result} is completed only after it. */
    final AtomicBoolean settled = new AtomicBoolean();

    // Written and read on the scheduler thread; volatile so close() can cancel from another thread.
    volatile long messageId;
    volatile ByteBuffer datagram;
    volatile ScheduledFuture<?> retransmission;
    volatile ScheduledFuture<?> deadline;
    long nextDelayMillis;

    PendingSend(PeerAddress to, InetSocketAddress target, byte[] utf8Text) {
        this.to = to;
        this.target = target;
        this.utf8Text = utf8Text;
    }

    void cancelTimers() {
        ScheduledFuture<?> r = retransmission;
        if (r != null) {
            r.cancel(false);
        }
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
    }
}
