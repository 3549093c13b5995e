package peerchat.chat.core.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageTransport;

/** Remembers every send (from any thread) and leaves its outcome to the test. */
class FakeTransport implements MessageTransport {

    /** {@code plain}: sent with sendPlain (to a client of the original application); {@code id} null then. */
    record Sent(PeerAddress to, String id, String text, CompletableFuture<DeliveryResult> outcome, boolean plain) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public PeerAddress localAddress() {
        return new PeerAddress("127.0.0.1", 40000);
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        return send(to, null, text);
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String messageId, String text) {
        CompletableFuture<DeliveryResult> outcome = new CompletableFuture<>();
        sent.add(new Sent(to, messageId, text, outcome, false));
        return outcome;
    }

    @Override
    public CompletionStage<DeliveryResult> sendPlain(PeerAddress to, String text) {
        CompletableFuture<DeliveryResult> outcome = new CompletableFuture<>();
        sent.add(new Sent(to, null, text, outcome, true));
        return outcome;
    }

    Sent last() {
        return sent.get(sent.size() - 1);
    }
}
