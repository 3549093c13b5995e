package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageListener;

/** Two engines (or an engine and a raw channel) talking over real UDP on 127.0.0.1. */
public class UdpTransportEngineTest {

    private static final long WAIT_MILLIS = 10_000;
    /** Quick retransmissions so loss tests finish fast; timing is never asserted beyond generous bounds. */
    private static final TransportSettings FAST = new TransportSettings(20, 200, 10_000);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final TestLogger logA = new TestLogger();
    private final TestLogger logB = new TestLogger();

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    private UdpTransportEngine engine(DatagramIo io, TransportSettings settings, List<MessageListener> listeners,
            TestLogger log) {
        UdpTransportEngine engine = new UdpTransportEngine(io, settings, listeners, log.logger);
        toClose.add(engine);
        engine.start();
        return engine;
    }

    private UdpTransportEngine engine(TransportSettings settings, List<MessageListener> listeners, TestLogger log)
            throws IOException {
        return engine(NioDatagramIo.bind("127.0.0.1", 0), settings, listeners, log);
    }

    private UdpTransportEngine lossyEngine(Predicate<ByteBuffer> drop, List<MessageListener> listeners, TestLogger log)
            throws IOException {
        return engine(new LossyDatagramIo(NioDatagramIo.bind("127.0.0.1", 0), drop), FAST, listeners, log);
    }

    private RawPeer rawPeer() throws IOException {
        RawPeer peer = new RawPeer();
        toClose.add(peer);
        return peer;
    }

    private static InetSocketAddress socket(UdpTransportEngine engine) {
        PeerAddress address = engine.localAddress();
        return new InetSocketAddress(address.host(), address.port());
    }

    private static DeliveryResult await(CompletionStage<DeliveryResult> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void assertDelivered(CompletionStage<DeliveryResult> stage) throws Exception {
        assertEquals(new DeliveryResult(DeliveryStatus.DELIVERED, ""), await(stage));
    }

    private static void assertFailed(String reasonStart, CompletionStage<DeliveryResult> stage) throws Exception {
        DeliveryResult result = await(stage);
        assertEquals(result.toString(), DeliveryStatus.FAILED, result.status());
        assertTrue("reason was: " + result.reason(), result.reason().startsWith(reasonStart));
    }

    /** Ports that were free a moment ago: nobody listens there. */
    private static int unusedPort() throws IOException {
        try (RawPeer probe = new RawPeer()) {
            return probe.address().getPort();
        }
    }

    // --- delivery ---------------------------------------------------------------------------

    @Test
    public void twoHundredMessagesArriveExactlyOnceAndInOrder() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(TransportSettings.defaults(), List.of(), logA);
        UdpTransportEngine b = engine(TransportSettings.defaults(), List.of(atB), logB);

        List<String> expected = new ArrayList<>();
        // Bursts of ten keep every burst far below the socket buffers, so nothing is lost and
        // arrival order equals send order; within a burst the sends are pipelined.
        for (int burst = 0; burst < 20; burst++) {
            List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String text = "message " + (burst * 10 + i);
                expected.add(text);
                results.add(a.send(b.localAddress(), text));
            }
            for (CompletionStage<DeliveryResult> result : results) {
                assertDelivered(result);
            }
        }
        Await.until("200 messages at B", WAIT_MILLIS, () -> atB.messages.size() >= 200);
        assertEquals(expected, atB.texts());
        assertTrue(atB.messages.stream().allMatch(m -> m.from().equals(new PeerAddress("127.0.0.1", a.localAddress().port()))));
        assertEquals(200, a.stats().sent());
        assertEquals(200, a.stats().delivered());
        assertEquals(0, a.stats().failed());
        assertEquals(200, b.stats().received());
    }

    @Test
    public void aLargeBurstBeyondTheInFlightLimitIsDeliveredExactlyOnce() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        int count = Outbox.MAX_IN_FLIGHT_PER_PEER * 2 + 88;

        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(a.send(b.localAddress(), "burst " + i));
        }
        for (CompletionStage<DeliveryResult> result : results) {
            assertDelivered(result);
        }
        Await.until(count + " messages at B", WAIT_MILLIS, () -> atB.messages.size() >= count);
        List<String> texts = atB.texts();
        assertEquals("no message twice", count, new HashSet<>(texts).size());
        assertEquals(count, texts.size());
        assertEquals(count, b.stats().received());
    }

    @Test
    public void aMessageOfTheLargestSizeIsDelivered() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        String text = "é".repeat(FrameCodec.MAX_TEXT_BYTES / 2);

        assertDelivered(a.send(b.localAddress(), text));
        Await.until("message at B", WAIT_MILLIS, () -> !atB.messages.isEmpty());
        assertEquals(text, atB.messages.get(0).text());
    }

    @Test
    public void listenersAddedLaterGetTheMessagesThatArriveLater() throws Exception {
        RecordingListener early = new RecordingListener();
        List<MessageListener> listeners = new CopyOnWriteArrayList<>(List.of(early));
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, listeners, logB);
        assertDelivered(a.send(b.localAddress(), "before"));
        Await.until("first message delivered", WAIT_MILLIS, () -> early.messages.size() == 1);

        RecordingListener late = new RecordingListener();
        listeners.add(late);
        assertDelivered(a.send(b.localAddress(), "after"));
        Await.until("second message delivered", WAIT_MILLIS, () -> late.messages.size() == 1); // late is called after early
        assertEquals(List.of("before", "after"), early.texts());
        assertEquals(List.of("after"), late.texts());
    }

    @Test
    public void aThrowingListenerDoesNotStopDeliveryToOthers() throws Exception {
        RecordingListener atB = new RecordingListener();
        MessageListener broken = message -> {
            throw new IllegalStateException("listener bug");
        };
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(broken, atB, broken), logB);

        for (int i = 0; i < 3; i++) {
            assertDelivered(a.send(b.localAddress(), "m" + i));
        }
        Await.until("3 messages at the working listener", WAIT_MILLIS, () -> atB.messages.size() >= 3);
        assertEquals(List.of("m0", "m1", "m2"), atB.texts());
        Await.until("6 listener failures counted", WAIT_MILLIS, () -> b.stats().listenerFailures() == 6);
        assertEquals(6, logB.count("ERROR", "failed on a message from 127.0.0.1:" + a.localAddress().port()));
        assertTrue(logB.at("ERROR").get(0).exception() instanceof IllegalStateException);
    }

    // --- duplicates and loss ---------------------------------------------------------------------------

    @Test
    public void aReplayedDatagramIsAcknowledgedEachTimeButDeliveredOnce() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        RawPeer raw = rawPeer();
        ByteBuffer data = FrameCodec.encodeData(0x0BADCAFE, 1, "only once".getBytes(StandardCharsets.UTF_8));

        for (int copy = 0; copy < 3; copy++) {
            raw.send(data, socket(b));
            assertEquals(Frame.ack(0x0BADCAFE, 1), raw.receiveFrame(WAIT_MILLIS));
        }
        Await.until("message at B", WAIT_MILLIS, () -> !atB.messages.isEmpty());
        assertEquals(List.of("only once"), atB.texts());
        assertEquals(1, b.stats().received());
        assertEquals(2, b.stats().duplicatesDropped());
        Await.until("3 ACKs counted", WAIT_MILLIS, () -> b.stats().acksSent() == 3);

        // The same id from a new session is a restarted peer, not a duplicate.
        raw.send(FrameCodec.encodeData(0x0BADCAFF, 1, "after restart".getBytes(StandardCharsets.UTF_8)), socket(b));
        assertEquals(Frame.ack(0x0BADCAFF, 1), raw.receiveFrame(WAIT_MILLIS));
        Await.until("second message at B", WAIT_MILLIS, () -> atB.messages.size() >= 2);
        assertEquals(List.of("only once", "after restart"), atB.texts());
    }

    @Test
    public void lostDataIsRetransmittedAndDeliveredOnce() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = lossyEngine(LossyDatagramIo.firstOfType(FrameType.DATA, 3), List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);

        assertDelivered(a.send(b.localAddress(), "through the storm"));
        assertDelivered(a.send(b.localAddress(), "and the calm"));
        Await.until("2 messages at B", WAIT_MILLIS, () -> atB.messages.size() >= 2);
        assertEquals(List.of("through the storm", "and the calm"), atB.texts());
        assertTrue("retransmitted " + a.stats().retransmitted(), a.stats().retransmitted() >= 3);
        assertEquals(2, b.stats().received());
    }

    @Test
    public void lostAcksLeadToDuplicatesThatAreNotDeliveredTwice() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = lossyEngine(LossyDatagramIo.everyOtherOfType(FrameType.ACK), List.of(atB), logB);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("ack me " + i);
            assertDelivered(a.send(b.localAddress(), "ack me " + i));
        }
        Await.until("20 messages at B", WAIT_MILLIS, () -> atB.messages.size() >= 20);
        assertEquals(expected, atB.texts());
        assertTrue("duplicates " + b.stats().duplicatesDropped(), b.stats().duplicatesDropped() >= 1);
        assertTrue(a.stats().retransmitted() >= 1);
        assertEquals(20, b.stats().received());
    }

    @Test
    public void anAckFromAnotherSessionDoesNotCompleteTheSend() throws Exception {
        UdpTransportEngine a = engine(new TransportSettings(5_000, 5_000, 10_000), List.of(), logA);
        RawPeer raw = rawPeer();
        PeerAddress rawAddress = new PeerAddress("127.0.0.1", raw.address().getPort());

        CompletableFuture<DeliveryResult> result = a.send(rawAddress, "hello").toCompletableFuture();
        Frame data = raw.receiveFrame(WAIT_MILLIS);
        assertEquals(Frame.data(a.sessionId(), 1, "hello"), data);

        raw.send(FrameCodec.encodeAck(a.sessionId() + 1, data.messageId()), socket(a));
        Await.until("stale ACK counted", WAIT_MILLIS, () -> a.stats().staleAcks() == 1);
        assertFalse(result.isDone());

        raw.send(FrameCodec.encodeAck(a.sessionId(), data.messageId()), socket(a));
        assertDelivered(result);
        assertEquals(1, a.stats().acksReceived());
    }

    @Test
    public void idsPerDestinationAreConsecutive() throws Exception {
        UdpTransportEngine a = engine(new TransportSettings(5_000, 5_000, 10_000), List.of(), logA);
        RawPeer first = rawPeer();
        RawPeer second = rawPeer();

        a.send(new PeerAddress("127.0.0.1", first.address().getPort()), "1st to first");
        assertEquals(1, first.receiveFrame(WAIT_MILLIS).messageId());
        a.send(new PeerAddress("127.0.0.1", second.address().getPort()), "1st to second");
        assertEquals(1, second.receiveFrame(WAIT_MILLIS).messageId());
        a.send(new PeerAddress("127.0.0.1", first.address().getPort()), "2nd to first");
        assertEquals(2, first.receiveFrame(WAIT_MILLIS).messageId());
    }

    // --- failures ---------------------------------------------------------------------------

    @Test
    public void aSendToAPortNobodyListensOnTimesOut() throws Exception {
        UdpTransportEngine a = engine(new TransportSettings(50, 200, 500), List.of(), logA);
        int port = unusedPort();

        DeliveryResult result = a.send(new PeerAddress("127.0.0.1", port), "hello?")
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED,
                "timed out: no acknowledgement from 127.0.0.1:" + port + " after 500 ms"), result);
        assertEquals(1, a.stats().failed());
        assertTrue(a.stats().retransmitted() >= 1);
        assertEquals(1, logA.count("WARN", "timed out"));
    }

    @Test
    public void anOversizedMessageIsRefusedAtOnce() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        PeerAddress somewhere = new PeerAddress("127.0.0.1", unusedPort());

        CompletableFuture<DeliveryResult> ascii = a.send(somewhere, "x".repeat(60_001)).toCompletableFuture();
        assertTrue("completed before send returned", ascii.isDone());
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "message too large: 60001 bytes (max 60000)"),
                ascii.join());

        CompletableFuture<DeliveryResult> euros = a.send(somewhere, "€".repeat(20_001)).toCompletableFuture();
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "message too large: 60003 bytes (max 60000)"),
                euros.getNow(null));
        assertEquals(0, a.stats().sent());
        assertEquals(2, a.stats().failed());
    }

    @Test
    public void badDestinationsFailWithoutThrowing() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        assertFailed("invalid address 127.0.0.1:0: port must be 1..65535", a.send(new PeerAddress("127.0.0.1", 0), "x"));
        assertFailed("invalid address 127.0.0.1:70000", a.send(new PeerAddress("127.0.0.1", 70_000), "x"));
        assertFailed("invalid address  :5000: no host", a.send(new PeerAddress(" ", 5000), "x"));
        assertFailed("unknown host no-such-host.invalid", a.send(new PeerAddress("no-such-host.invalid", 5000), "x"));
        assertEquals(4, a.stats().failed());
    }

    @Test
    public void garbageDatagramsAreCountedAndTheEngineKeepsWorking() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        RawPeer raw = rawPeer();
        Random random = new Random(20260101);

        List<byte[]> garbage = new ArrayList<>();
        garbage.add(new byte[0]);
        garbage.add(FrameCodecTest.bytes("5043"));
        garbage.add(FrameCodecTest.bytes("50430201" + "0012" + "00000001" + "0000000000000001")); // version 2
        garbage.add(FrameCodecTest.bytes("50430109" + "0012" + "00000001" + "0000000000000001")); // type 9
        garbage.add(FrameCodecTest.bytes("50430101" + "0012" + "00000001" + "0000000000000001" + "ff")); // bad UTF-8
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(100)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && bytes[0] == 'P') {
                bytes[0] = 'Q'; // keep it garbage: never a valid frame by chance
            }
            garbage.add(bytes);
        }
        for (byte[] datagram : garbage) {
            raw.send(datagram, socket(b));
        }
        Await.until("all garbage counted", WAIT_MILLIS, () -> b.stats().malformedDropped() == garbage.size());
        assertEquals("nothing answered garbage", 0, b.stats().acksSent());

        assertDelivered(a.send(b.localAddress(), "still alive"));
        Await.until("message at B", WAIT_MILLIS, () -> !atB.messages.isEmpty());
        assertEquals(List.of("still alive"), atB.texts());
        assertEquals("warnings are rate-limited", 1, logB.count("WARN", "dropped malformed datagram"));
        assertTrue(logB.count("DEBUG", "dropped malformed datagram") >= garbage.size() - 1);
    }

    @Test
    public void closeFailsPendingSendsAndLaterSends() throws Exception {
        UdpTransportEngine a = engine(new TransportSettings(50, 200, 60_000), List.of(), logA);
        RawPeer silent = rawPeer(); // bound but never answers
        PeerAddress nobody = new PeerAddress("127.0.0.1", silent.address().getPort());

        List<CompletionStage<DeliveryResult>> pending = new ArrayList<>();
        for (int i = 0; i < Outbox.MAX_IN_FLIGHT_PER_PEER + 10; i++) { // some wait for a free slot
            pending.add(a.send(nobody, "are you there? " + i));
        }
        assertTrue(silent.receive(WAIT_MILLIS) != null);
        a.close();

        for (CompletionStage<DeliveryResult> result : pending) {
            assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "transport stopped"), await(result));
        }
        CompletableFuture<DeliveryResult> late = a.send(nobody, "too late").toCompletableFuture();
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "transport stopped"), late.getNow(null));
        assertEquals(1, logA.count("INFO", "stopped: " + pending.size() + " unfinished sends failed"));
        a.close(); // twice is harmless
    }

    @Test
    public void closeStopsTheThreads() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        int port = a.localAddress().port();
        a.close();
        Await.until("transport threads gone", WAIT_MILLIS, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("peerchat-udp-" + port + "-")));
        // The port is free again.
        NioDatagramIo.bind("127.0.0.1", port).close();
    }

    @Test
    public void eachEngineHasItsOwnSession() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(), logB);
        // Random 32-bit values: equal with probability 2^-32.
        assertNotEquals(a.sessionId(), b.sessionId());
        assertEquals("127.0.0.1", a.localAddress().host());
        assertTrue(a.localAddress().port() > 0);
    }
}
