package peerchat.transport.udp.internal;

import java.util.concurrent.CompletableFuture;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;

/** One message on its way, from send() until its result completes (exactly once). */
final class PendingSend {
    final PeerAddress to;
    final byte[] utf8;
    /** The message id's ASCII bytes (it goes in the FIRST chunk), or null: no id. */
    final byte[] id;
    final CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
    /** Guarded by the owning session: when it fails, and the seq of the packet with its last chunk. */
    long deadlineNanos;
    long lastSeq;

    PendingSend(PeerAddress to, byte[] utf8) {
        this(to, null, utf8);
    }

    PendingSend(PeerAddress to, byte[] id, byte[] utf8) {
        this.to = to;
        this.id = id;
        this.utf8 = utf8;
    }
}
