package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageTransport;

public class TransportGateTest {

    private static final PeerAddress BOB = new PeerAddress("127.0.0.1", 4001);

    private final TransportGate gate = new TransportGate(Duration.ofMillis(300));

    @After
    public void tearDown() {
        gate.close();
    }

    /** Delivers everything at once and remembers the order. */
    private static class Recording implements MessageTransport {
        final List<String> sent = new ArrayList<>();

        @Override
        public PeerAddress localAddress() {
            return new PeerAddress("127.0.0.1", 4000);
        }

        @Override
        public synchronized CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
            sent.add(text);
            return CompletableFuture.completedFuture(new DeliveryResult(DeliveryStatus.DELIVERED, ""));
        }
    }

    @Test
    public void withATransportSendsGoStraightThrough() throws Exception {
        Recording t = new Recording();
        gate.bind(t);
        assertEquals(DeliveryStatus.DELIVERED, gate.send(BOB, "a").toCompletableFuture().get(1, TimeUnit.SECONDS).status());
        assertEquals(List.of("a"), t.sent);
    }

    @Test
    public void sendsWaitForTheNextTransportInOrder() throws Exception {
        Recording first = new Recording();
        gate.bind(first);
        gate.unbind(first);
        CompletableFuture<DeliveryResult> a = gate.send(BOB, "a").toCompletableFuture();
        CompletableFuture<DeliveryResult> b = gate.send(BOB, "b").toCompletableFuture();
        assertFalse(a.isDone());
        assertEquals(2, gate.waitingCount());
        Recording second = new Recording();
        gate.bind(second);
        assertEquals(DeliveryStatus.DELIVERED, a.get(1, TimeUnit.SECONDS).status());
        assertEquals(DeliveryStatus.DELIVERED, b.get(1, TimeUnit.SECONDS).status());
        assertEquals(List.of("a", "b"), second.sent);
        assertTrue(first.sent.isEmpty());
    }

    @Test
    public void aSendFailsExplicitlyWhenNoTransportComesInTime() throws Exception {
        DeliveryResult result = gate.send(BOB, "a").toCompletableFuture().get(2, TimeUnit.SECONDS);
        assertEquals(DeliveryStatus.FAILED, result.status());
        assertTrue(result.reason(), result.reason().startsWith(ChatEngine.TRANSPORT_MISSING));
        assertEquals(0, gate.waitingCount());
    }

    @Test
    public void aGreedyReplacementKeepsTheNewTransport() {
        Recording old = new Recording();
        Recording replacement = new Recording();
        gate.bind(old);
        gate.bind(replacement);
        gate.unbind(old);
        assertEquals(replacement, gate.current());
    }

    @Test
    public void aSendRacingTheUnbindingOfAGoneTransportWaitsForTheNextOne() throws Exception {
        Recording next = new Recording();
        MessageTransport gone = new Recording() {
            @Override
            public synchronized CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
                gate.unbind(this); // DS unbinds it while the call is on its way...
                throw new NoClassDefFoundError("peerchat/transport/udp/internal/SomeClass"); // ...class loader closed
            }
        };
        gate.bind(gone);
        CompletableFuture<DeliveryResult> a = gate.send(BOB, "a").toCompletableFuture();
        assertFalse(a.isDone());
        gate.bind(next);
        assertEquals(DeliveryStatus.DELIVERED, a.get(1, TimeUnit.SECONDS).status());
        assertEquals(List.of("a"), next.sent);
    }

    @Test
    public void aBoundTransportThatThrowsFailsTheSendExplicitly() throws Exception {
        gate.bind(new Recording() {
            @Override
            public synchronized CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
                throw new IllegalStateException("broken");
            }
        });
        DeliveryResult result = gate.send(BOB, "a").toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "broken"), result);
    }

    @Test
    public void closingFailsWhatWaits() throws Exception {
        CompletableFuture<DeliveryResult> a = gate.send(BOB, "a").toCompletableFuture();
        gate.close();
        assertEquals(DeliveryStatus.FAILED, a.get(1, TimeUnit.SECONDS).status());
    }
}
