package peerchat.shell.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;
import peerchat.api.transport.MessageTransport;

final class FakeTransport implements MessageTransport {

    TransportStats stats = TransportStats.EMPTY;

    @Override
    public TransportStats stats() {
        return stats;
    }

    @Override
    public PeerAddress localAddress() {
        return new PeerAddress("0.0.0.0", 40000);
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        return new CompletableFuture<>();
    }
}
