package peerchat.shell.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageTransport;

final class FakeTransport implements MessageTransport {

    @Override
    public PeerAddress localAddress() {
        return new PeerAddress("0.0.0.0", 40000);
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        return new CompletableFuture<>();
    }
}
