package peerchat.transport.udp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageListener;

/** "Delivered means stored": ACKs only after the receiver's MessageKeeper kept a message. Real UDP on 127.0.0.1. */
public class KeeperTest {

    private static final long WAIT_MILLIS = 20_000;
    private static final TransportSettings FAST = TransportSettings.defaults().withRto(20, 10, 200)
            .withDeliveryTimeout(15_000);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final TestLogger logA = new TestLogger();
    private final TestLogger logB = new TestLogger();

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private UdpTransportEngine engine(TransportSettings settings, List<MessageListener> listeners, TestLogger log,
            Object keeper) throws IOException {
        UdpTransportEngine engine = new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0), settings, listeners,
                log.logger);
        if (keeper != null) {
            engine.keeper((peerchat.api.transport.MessageKeeper) keeper);
        }
        toClose.add(engine);
        engine.start();
        return engine;
    }

    private RawPeer rawPeer() throws IOException {
        RawPeer peer = new RawPeer();
        toClose.add(peer);
        return peer;
    }

    private static InetSocketAddress socket(UdpTransportEngine engine) {
        return new InetSocketAddress(engine.localAddress().host(), engine.localAddress().port());
    }

    private static DeliveryResult await(CompletableFuture<DeliveryResult> stage) throws Exception {
        return stage.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static final DeliveryResult DELIVERED = new DeliveryResult(DeliveryStatus.DELIVERED, "");

    // --- the ACK waits for the keeper ----------------------------------------------------------

    @Test
    public void theAckIsWithheldUntilTheKeeperKeptTheMessage() throws Exception {
        Keepers.Manual keeper = new Keepers.Manual();
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA, Keepers.ALL);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB, keeper);

        CompletableFuture<DeliveryResult> result = a.send(b.localAddress(), "hello").toCompletableFuture();
        Await.until("offered to the keeper", WAIT_MILLIS, () -> keeper.offers.size() == 1);
        long acksSeen = a.counters().acksReceived.get();
        // The receiver answered the packet (ACK_NOW) without acknowledging it: the sender heard that ACK.
        Await.until("an ACK from b reached a", WAIT_MILLIS,
                () -> b.counters().acksSent.get() >= 1 && a.counters().acksReceived.get() >= 1);
        assertFalse("not DELIVERED while the keep is pending (ACKs seen: " + acksSeen + ")", result.isDone());
        assertEquals(0, a.stats().messagesDelivered());
        assertEquals(1, a.stats().peers().get(0).queued());
        assertEquals(1, b.stats().awaitingKeep());
        assertTrue("listeners see it only once kept", atB.messages.isEmpty());

        keeper.keepAll();
        assertEquals(DELIVERED, await(result));
        Await.until("listener", WAIT_MILLIS, () -> atB.messages.size() == 1);
        assertEquals(List.of("hello"), atB.texts());
        assertEquals(0, b.stats().awaitingKeep());
        assertEquals(1, b.stats().messagesReceived());
    }

    @Test
    public void aFailedKeepIsOfferedAgainAndTheMessageDeliveredOnce() throws Exception {
        Keepers.Manual keeper = new Keepers.Manual();
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA, Keepers.ALL);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB, keeper);

        CompletableFuture<DeliveryResult> result = a.send(b.localAddress(), "persist me").toCompletableFuture();
        Await.until("first offer", WAIT_MILLIS, () -> keeper.offers.size() == 1);
        keeper.fail(keeper.offers.get(0));
        Await.until("offered again after the backoff", WAIT_MILLIS, () -> keeper.offers.size() == 2);
        assertFalse(result.isDone());
        keeper.fail(keeper.offers.get(1));
        Await.until("and again", WAIT_MILLIS, () -> keeper.offers.size() == 3);
        keeper.keep(keeper.offers.get(2));

        assertEquals(DELIVERED, await(result));
        Await.until("listener", WAIT_MILLIS, () -> atB.messages.size() == 1);
        assertEquals(List.of("persist me"), keeper.keptTexts());
        assertEquals(2, b.stats().keepFailures());
        assertEquals(1, b.stats().messagesReceived());
        assertTrue(logB.count("WARN", "keeper could not keep a message") >= 1);
        assertEquals("no further offers", 3, keeper.offers.size());
        assertEquals(List.of("persist me"), atB.texts());
    }

    @Test
    public void aKeeperUnboundMidStreamLeavesTheRestToTheNextInOrderExactlyOnce() throws Exception {
        Keepers.Manual first = new Keepers.Manual();
        Keepers.Manual second = new Keepers.Manual();
        RecordingListener atB = new RecordingListener();
        List<String> keptWhenDelivered = new CopyOnWriteArrayList<>();
        List<String> deliveredUnkept = new CopyOnWriteArrayList<>();
        UdpTransportEngine a = engine(FAST, List.of(), logA, Keepers.ALL);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB, first);

        List<String> texts = new ArrayList<>();
        List<CompletableFuture<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String text = "message " + i;
            texts.add(text);
            CompletableFuture<DeliveryResult> result = a.send(b.localAddress(), text).toCompletableFuture();
            result.thenAccept(outcome -> {
                if (outcome.status() == DeliveryStatus.DELIVERED) {
                    keptWhenDelivered.add(text);
                    if (!first.keptTexts().contains(text) && !second.keptTexts().contains(text)) {
                        deliveredUnkept.add(text);
                    }
                }
            });
            results.add(result);
        }
        Await.until("all offered to the first keeper", WAIT_MILLIS, () -> first.offers.size() == 20);
        for (int i = 0; i < 5; i++) {
            first.keep(first.offers.get(i));
        }
        first.keep(first.offers.get(7)); // kept out of order: it must not be offered again
        for (int i = 0; i < 5; i++) {
            assertEquals(DELIVERED, await(results.get(i)));
        }
        b.keeper(null); // unbound with 14 offers open

        Await.until("the ACK went out", WAIT_MILLIS, () -> a.stats().messagesDelivered() == 5);
        assertFalse("message 5 is not kept", results.get(5).isDone());
        first.keepAll(); // too late: the first keeper is gone, its outcomes no longer count
        second.keepAtOnce = true;
        b.keeper(second);

        for (CompletableFuture<DeliveryResult> result : results) {
            assertEquals(DELIVERED, await(result));
        }
        List<String> expectedSecond = new ArrayList<>(texts.subList(5, 20));
        expectedSecond.remove("message 7");
        assertEquals("the rest, in order, once", expectedSecond, second.keptTexts());
        Await.until("listeners", WAIT_MILLIS, () -> atB.messages.size() == 20);
        assertEquals("listeners in stream order, each once", texts, atB.texts());
        assertEquals(List.of(), deliveredUnkept);
    }

    @Test
    public void messagesSharingAPacketAreAcknowledgedOnlyWhenAllEndingThereAreKept() throws Exception {
        Keepers.Manual keeper = new Keepers.Manual();
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine b = engine(FAST, List.of(atB), logB, keeper);
        RawPeer raw = rawPeer();

        ByteBuffer packet1 = FrameCodec.startData(0x51, 0x61, 1);
        for (String text : new String[] {"m1", "m2", "m3"}) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            FrameCodec.putChunk(packet1, FrameCodec.CHUNK_FIRST | FrameCodec.CHUNK_LAST, utf8, 0, utf8.length);
        }
        packet1.flip();
        ByteBuffer packet2 = FrameCodecTest.data(0x51, 0x61, 2, "m4");
        FrameCodec.setAckNow(packet2);
        raw.send(packet1, socket(b));
        raw.send(packet2, socket(b));
        Await.until("four offers", WAIT_MILLIS, () -> keeper.offers.size() == 4);
        drain(raw);

        keeper.keep(keeper.offers.get(0)); // m1 only: m2 and m3 also end in packet 1
        Frame.Ack ack = (Frame.Ack) raw.receiveFrame(WAIT_MILLIS);
        assertEquals("packet 1 ends unkept messages", 0, ack.cumulative());
        assertArrayEquals("packet 2 was received: reported, not acknowledged", new long[] {2, 2}, ack.ranges());

        keeper.keep(keeper.offers.get(2)); // m3 before m2: nothing moves
        assertNull("no progress, no ACK", raw.receive(200));
        keeper.keep(keeper.offers.get(1));
        ack = (Frame.Ack) raw.receiveFrame(WAIT_MILLIS);
        assertEquals("all of packet 1 kept; m4 in packet 2 is not", 1, ack.cumulative());
        assertEquals(0, ack.rangeCount());

        keeper.keep(keeper.offers.get(3));
        ack = (Frame.Ack) raw.receiveFrame(WAIT_MILLIS);
        assertEquals(2, ack.cumulative());
        Await.until("listeners", WAIT_MILLIS, () -> atB.messages.size() == 4);
        assertEquals(List.of("m1", "m2", "m3", "m4"), atB.texts());
    }

    private static void drain(RawPeer raw) throws Exception {
        while (raw.receive(200) != null) {
            // ACKs sent before the keeper kept anything
        }
    }

    @Test
    public void withoutAKeeperNothingIsAcknowledgedAndMessagesWait() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA, Keepers.ALL);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB, null);

        CompletableFuture<DeliveryResult> result = a.send(b.localAddress(), "waiting").toCompletableFuture();
        Await.until("received, waiting for a keeper", WAIT_MILLIS, () -> b.stats().awaitingKeep() == 1);
        Await.until("b answered", WAIT_MILLIS, () -> a.counters().acksReceived.get() >= 1);
        assertFalse(result.isDone());
        assertTrue(atB.messages.isEmpty());

        b.keeper(Keepers.ALL);
        assertEquals(DELIVERED, await(result));
        Await.until("listener", WAIT_MILLIS, () -> atB.messages.size() == 1);
    }

    @Test
    public void aSendThatNeverGetsACumulativeAckFailsAtTheDeadline() throws Exception {
        Keepers.Manual keeper = new Keepers.Manual(); // never completes
        UdpTransportEngine a = engine(FAST.withDeliveryTimeout(500), List.of(), logA, Keepers.ALL);
        UdpTransportEngine b = engine(FAST, List.of(), logB, keeper);

        DeliveryResult result = await(a.send(b.localAddress(), "never kept").toCompletableFuture());
        assertEquals(DeliveryStatus.FAILED, result.status());
        assertTrue(result.reason(), result.reason().startsWith("timed out: no acknowledgement from"));
        assertEquals(1, keeper.offers.size());
    }

    // --- message ids ---------------------------------------------------------------------------

    @Test
    public void theMessageIdTravelsWithTheMessage() throws Exception {
        Keepers.Manual keeper = new Keepers.Manual();
        keeper.keepAtOnce = true;
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA, Keepers.ALL);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB, keeper);
        String longId = "x".repeat(64);
        String large = "L".repeat(3000);

        assertEquals(DELIVERED, await(a.send(b.localAddress(), "id-1", "with id").toCompletableFuture()));
        assertEquals(DELIVERED, await(a.send(b.localAddress(), "without id").toCompletableFuture()));
        assertEquals(DELIVERED, await(a.send(b.localAddress(), longId, large).toCompletableFuture()));
        assertEquals(DELIVERED, await(a.send(b.localAddress(), "e", "").toCompletableFuture()));

        Await.until("listeners", WAIT_MILLIS, () -> atB.messages.size() == 4);
        List<IncomingMessage> got = atB.messages;
        assertEquals("id-1", got.get(0).messageId());
        assertEquals("with id", got.get(0).text());
        assertNull(got.get(1).messageId());
        assertEquals(longId, got.get(2).messageId());
        assertEquals(large, got.get(2).text());
        assertEquals("e", got.get(3).messageId());
        assertEquals("", got.get(3).text());
        assertEquals("the keeper got the ids too", "id-1", keeper.kept.get(0).messageId());
    }

    @Test
    public void anInvalidMessageIdFailsTheSend() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA, Keepers.ALL);
        PeerAddress nowhere = new PeerAddress("127.0.0.1", 9);
        for (String id : new String[] {"", "x".repeat(65), "tab\there", "grüße"}) {
            DeliveryResult result = await(a.send(nowhere, id, "text").toCompletableFuture());
            assertEquals(id, DeliveryStatus.FAILED, result.status());
            assertTrue(result.reason(), result.reason().startsWith("invalid message id: "));
        }
        assertEquals(0, a.stats().messagesSent());
    }

    // --- strangers -------------------------------------------------------------------------------

    @Test
    public void strangersAreHeldToTheirLimitsWhileKnownPeersGoOn() throws Exception {
        long perSourceBytes = 64 << 10;
        int perSourceMessages = 32;
        long totalBytes = 256 << 10;
        int totalMessages = 50;
        TransportSettings settings = FAST.withDeliveryTimeout(60_000)
                .withStrangerLimits(perSourceBytes, perSourceMessages, totalBytes, totalMessages, 3);
        UdpTransportEngine a = engine(FAST.withDeliveryTimeout(60_000), List.of(), logA, Keepers.ALL);
        int knownPort = a.localAddress().port();
        // Keeps what the known peer sends at once; leaves strangers' messages pending, so they pile up.
        Keepers.Manual keeper = new Keepers.Manual() {
            @Override
            public java.util.concurrent.CompletionStage<?> keep(IncomingMessage message) {
                CompletableFuture<?> stage = super.keep(message).toCompletableFuture();
                if (message.from().port() == knownPort) {
                    keep(offers.get(offers.size() - 1));
                }
                return stage;
            }
        };
        keeper.knows = peer -> peer.port() == knownPort;
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine b = engine(settings, List.of(atB), logB, keeper);

        // One stranger floods 200 messages of 1 MiB, as fast as it can, ignoring every window.
        RawPeer flooder = rawPeer();
        Thread flood = new Thread(() -> {
            try {
                byte[] block = new byte[FrameCodec.MAX_PAYLOAD - FrameCodec.CHUNK_HEADER];
                java.util.Arrays.fill(block, (byte) 'F');
                long seq = 1;
                for (int m = 0; m < 200; m++) {
                    int left = TransportSettings.MAX_MESSAGE_BYTES;
                    boolean first = true;
                    while (left > 0) {
                        int n = Math.min(left, block.length);
                        left -= n;
                        ByteBuffer data = FrameCodec.startData(0x5EED, 0x77, seq++);
                        FrameCodec.putChunk(data, (first ? FrameCodec.CHUNK_FIRST : 0)
                                | (left == 0 ? FrameCodec.CHUNK_LAST : 0), block, 0, n);
                        first = false;
                        flooder.send(data.flip(), socket(b));
                    }
                }
            } catch (IOException e) {
                // the engine under test was closed
            }
        }, "test-flood");
        flood.setDaemon(true);
        flood.start();

        List<String> texts = new ArrayList<>();
        List<CompletableFuture<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; flood.isAlive() || i < 50; i++) {
            String text = "known " + i + " " + "k".repeat(1000);
            texts.add(text);
            results.add(a.send(b.localAddress(), text).toCompletableFuture());
            if (i % 10 == 9) {
                assertEquals(DELIVERED, await(results.get(i))); // keeps arriving while the flood goes on
            }
            assertTrue("bounded", i < 100_000);
        }
        for (CompletableFuture<DeliveryResult> result : results) {
            assertEquals(DELIVERED, await(result));
        }
        Await.until("listeners", WAIT_MILLIS, () -> atB.messages.size() == texts.size());
        assertEquals(texts, atB.texts());
        assertTrue("the flood was dropped", b.stats().strangerDropped() > 0);
        assertTrue("no 1 MiB message of a stranger completes", keeper.offers.stream()
                .allMatch(offer -> offer.message().from().port() == knownPort));

        // More strangers, each sending 40 one-packet messages that stay pending at the keeper.
        List<RawPeer> strangers = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            strangers.add(rawPeer());
        }
        for (int i = 1; i <= 40; i++) {
            for (int s = 0; s < strangers.size(); s++) {
                strangers.get(s).send(FrameCodecTest.data(0x700 + s, 0x77, i, "stranger " + s + " says " + i),
                        socket(b));
            }
            if (i % 10 == 0) {
                Thread.sleep(5); // let the receive thread keep up: drops below are the limits' doing
            }
        }
        Set<Integer> ports = new java.util.HashSet<>();
        for (RawPeer stranger : strangers) {
            ports.add(stranger.address().getPort());
        }
        Await.until("the limits hold them back", WAIT_MILLIS,
                () -> b.counters().strangerMessages.get() >= totalMessages - perSourceMessages);
        long fromStrangers = keeper.offers.stream().filter(o -> ports.contains(o.message().from().port())).count();
        assertTrue("global message limit: " + fromStrangers, fromStrangers <= totalMessages);
        for (RawPeer stranger : strangers) {
            int port = stranger.address().getPort();
            long offered = keeper.offers.stream().filter(o -> o.message().from().port() == port).count();
            assertTrue("per-source message limit: " + offered, offered <= perSourceMessages);
        }
        assertEquals("3 stranger sessions at most (the flooder holds one)", 3, b.counters().strangerSessions.get());
        assertTrue("bytes peak " + b.counters().strangerBytesPeak.get(),
                b.counters().strangerBytesPeak.get() <= totalBytes);
        assertTrue("messages peak " + b.counters().strangerMessagesPeak.get(),
                b.counters().strangerMessagesPeak.get() <= totalMessages);
        assertTrue(b.counters().strangerBytes.get() <= totalBytes);

        // The known peer still gets through, at once.
        assertEquals(DELIVERED, await(a.send(b.localAddress(), "still here").toCompletableFuture()));
    }

    // --- a peer never goes deaf ----------------------------------------------------------------

    @Test
    public void anErrorInAnyTransportThreadIsLoggedAndTheThreadReplaced() throws Exception {
        RecordingListener atB = new RecordingListener();
        // a listener slower than a receive thread's turn may be: deliveries go to the delivery thread
        MessageListener slow = message -> {
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            atB.messageReceived(message);
        };
        UdpTransportEngine a = engine(FAST, List.of(), logA, Keepers.ALL);
        UdpTransportEngine b = new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0), FAST, List.of(slow),
                logB.logger);
        toClose.add(b);
        Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        b.seam = where -> {
            if (failed.add(where)) {
                switch (where) {
                    case "receive" -> throw new OutOfMemoryError("injected into the receive thread");
                    case "delivery" -> throw new NoClassDefFoundError("injected into the delivery thread");
                    case "timer" -> throw new StackOverflowError("injected into the timer");
                    case "keeper" -> throw new InternalError("injected into the keeper thread");
                    default -> throw new AssertionError(where);
                }
            }
        };
        b.start();
        int port = b.localAddress().port();

        // No keeper yet: the message waits (after the receive thread lost its first datagram).
        CompletableFuture<DeliveryResult> first = a.send(b.localAddress(), "one").toCompletableFuture();
        Await.until("waiting for a keeper", WAIT_MILLIS, () -> b.stats().awaitingKeep() == 1);
        // An asynchronous keeper: its offers go through the keeper thread, its completions to the delivery thread.
        b.keeper(message -> CompletableFuture.runAsync(() -> { }));
        assertEquals(DELIVERED, await(first));
        assertEquals(DELIVERED, await(a.send(b.localAddress(), "two").toCompletableFuture()));
        assertEquals(DELIVERED, await(a.send(b.localAddress(), "three").toCompletableFuture()));
        Await.until("listeners", WAIT_MILLIS, () -> atB.messages.size() == 3);
        assertEquals(List.of("one", "two", "three"), atB.texts());

        assertEquals(Set.of("receive", "delivery", "timer", "keeper"), failed);
        assertEquals(4, b.counters().threadsReplaced.get());
        for (String thread : new String[] {"-receive", "-delivery", "-timers", "-keeper"}) {
            assertEquals(thread, 1, logB.count("ERROR", "UDP transport thread peerchat-udp-" + port + thread));
        }
    }
}
