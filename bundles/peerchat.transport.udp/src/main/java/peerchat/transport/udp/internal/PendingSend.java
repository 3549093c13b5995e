package peerchat.transport.udp.internal;

import java.util.concurrent.CompletableFuture;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;

/** One message on its way, from send() until its result completes (exactly once). */
final class PendingSend {
    final PeerAddress to;
    final byte[] utf8;
    final CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
    /** Guarded by the owning session: when it fails, and the seq of the packet with its last chunk. */
    long deadlineNanos;
    long lastSeq;

    PendingSend(PeerAddress to, byte[] utf8) {
        this.to = to;
        this.utf8 = utf8;
    }
}
