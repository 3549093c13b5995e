package peerchat.chat.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageTransport;

/** Remembers every send and leaves its outcome to the test. */
class FakeTransport implements MessageTransport {

    record Sent(PeerAddress to, String text, CompletableFuture<DeliveryResult> outcome) {
    }

    final List<Sent> sent = new ArrayList<>();

    @Override
    public PeerAddress localAddress() {
        return new PeerAddress("127.0.0.1", 40000);
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        CompletableFuture<DeliveryResult> outcome = new CompletableFuture<>();
        sent.add(new Sent(to, text, outcome));
        return outcome;
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
