package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.store.StoredMessage;
import peerchat.transport.udp.internal.UdpMessageTransport;

/**
 * "Delivered means stored" across a disk fault, with two real transports on loopback: while bob's
 * store cannot write, alice's message stays pending (bob's transport tries to keep it and never
 * acknowledges it); once the fault clears it is stored once and alice hears DELIVERED.
 */
public class DiskFaultDeliveryTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<ChatEngine> engines = new ArrayList<>();
    private final MemoryStore bobsStore = new MemoryStore();
    private UdpMessageTransport aliceTransport;
    private UdpMessageTransport bobTransport;
    private ChatEngine alice;

    @Before
    public void setUp() throws Exception {
        aliceTransport = RealTransports.activated(log);
        bobTransport = RealTransports.activated(log);
        PeerAddress a = aliceTransport.localAddress();
        PeerAddress b = bobTransport.localAddress();
        FakeRosterClient aliceRoster = new FakeRosterClient().loggedInAs("alice").with("alice", a.host(), a.port())
                .with("bob", b.host(), b.port());
        FakeRosterClient bobRoster = new FakeRosterClient().loggedInAs("bob").with("alice", a.host(), a.port())
                .with("bob", b.host(), b.port());
        alice = engine(aliceRoster, aliceTransport, new MemoryStore());
        ChatEngine bob = engine(bobRoster, bobTransport, bobsStore);
        RealTransports.bindKeeper(aliceTransport, alice::keep);
        RealTransports.bindKeeper(bobTransport, bob::keep);
    }

    private ChatEngine engine(FakeRosterClient roster, UdpMessageTransport transport, MemoryStore store) {
        ChatEngine engine = new ChatEngine(() -> roster, () -> transport, store,
                new ChatListeners(List::of, (message, cause) -> log.add(message), Duration.ofSeconds(1)),
                (peer, text) -> text, Clock.systemUTC(), Duration.ofDays(7));
        engines.add(engine);
        return engine;
    }

    @After
    public void tearDown() throws Exception {
        engines.forEach(ChatEngine::close);
        RealTransports.deactivate(aliceTransport);
        RealTransports.deactivate(bobTransport);
    }

    @Test
    public void nothingIsAcknowledgedWhileTheReceiverCannotStoreAndTheMessageArrivesOnceAfterwards()
            throws Exception {
        bobsStore.failWrites = "disk full: cannot write /data/store/messages.db";

        CompletableFuture<DeliveryResult> sent = alice.send("bob", "kept for later").toCompletableFuture();

        // bob's transport offered it to his chat core and was refused, more than once: still nothing acknowledged
        Await.until("bob's chat core refused to keep it twice", () -> bobTransport.stats().keepFailures() >= 2);
        assertFalse("alice must not hear DELIVERED while bob cannot store it", sent.isDone());
        assertEquals(List.of(), bobsStore.all());

        bobsStore.failWrites = null;
        assertEquals(new DeliveryResult(DeliveryStatus.DELIVERED, ""), sent.get(30, TimeUnit.SECONDS));
        List<StoredMessage> atBob = bobsStore.all();
        assertEquals(1, atBob.size());
        assertEquals("kept for later", atBob.get(0).text());
        assertEquals("alice", atBob.get(0).from());
    }
}
