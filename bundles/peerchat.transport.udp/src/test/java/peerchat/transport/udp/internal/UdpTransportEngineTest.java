package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;
import peerchat.api.dto.TransportStats.PeerStats;
import peerchat.api.transport.MessageListener;

/** Two engines (or an engine and a raw channel) talking over real UDP on 127.0.0.1. */
public class UdpTransportEngineTest {

    private static final long WAIT_MILLIS = 20_000;
    /** Quick retransmissions so loss tests finish fast; timing is never asserted beyond generous bounds. */
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

    // --- helpers ---------------------------------------------------------------------------

    private UdpTransportEngine engine(DatagramIo io, TransportSettings settings, List<MessageListener> listeners,
            TestLogger log) {
        UdpTransportEngine engine = Keepers.keepingAll(new UdpTransportEngine(io, settings, listeners, log.logger));
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

    private static PeerStats peer(UdpTransportEngine engine, PeerAddress peer) {
        return engine.stats().peers().stream().filter(p -> p.peer().equals(peer)).findFirst().orElse(null);
    }

    // --- delivery ---------------------------------------------------------------------------

    @Test
    public void twoHundredMessagesArriveExactlyOnceAndInOrder() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(TransportSettings.defaults(), List.of(), logA);
        UdpTransportEngine b = engine(TransportSettings.defaults(), List.of(atB), logB);

        List<String> expected = new ArrayList<>();
        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add("message " + i);
            results.add(a.send(b.localAddress(), "message " + i));
        }
        for (CompletionStage<DeliveryResult> result : results) {
            assertDelivered(result);
        }
        Await.until("200 messages at B", WAIT_MILLIS, () -> atB.messages.size() >= 200);
        assertEquals(expected, atB.texts());
        assertTrue(atB.messages.stream().allMatch(m -> m.from().equals(a.localAddress())));
        TransportStats stats = a.stats();
        assertEquals(200, stats.messagesSent());
        assertEquals(200, stats.messagesDelivered());
        assertEquals(0, stats.messagesFailed());
        assertEquals(200, b.stats().messagesReceived());
        PeerStats toB = peer(a, b.localAddress());
        assertEquals(200, toB.messagesDelivered());
        assertTrue("an RTT was measured", toB.srttMillis() >= 0 && toB.rttvarMillis() >= 0);
        assertEquals(0, toB.inFlight());
        assertEquals(200, peer(b, a.localAddress()).messagesReceived());
    }

    @Test
    public void aBurstFarBeyondTheWindowsIsDeliveredExactlyOnceInOrder() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST.withWindows(4, 8, 64, 64), List.of(), logA);
        UdpTransportEngine b = engine(FAST.withWindows(4, 8, 64, 64), List.of(atB), logB);
        int count = 5000;
        List<String> expected = new ArrayList<>();
        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String text = "burst " + i + " " + "x".repeat(i % 700);
            expected.add(text);
            results.add(a.send(b.localAddress(), text));
        }
        for (CompletionStage<DeliveryResult> result : results) {
            assertDelivered(result);
        }
        Await.until(count + " messages at B", WAIT_MILLIS, () -> atB.messages.size() >= count);
        assertEquals(expected, atB.texts());
        assertTrue("small messages share packets: " + a.stats().packetsSent(), a.stats().packetsSent() < count);
    }

    @Test
    public void messagesUpToOneMebibyteAreFragmentedAndReassembled() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        StringBuilder big = new StringBuilder();
        Random random = new Random(7);
        while (big.length() < TransportSettings.MAX_MESSAGE_BYTES) {
            big.append((char) ('a' + random.nextInt(26)));
        }
        String largest = big.toString();
        String multiByte = "é€👋".repeat(40_000); // 2 + 3 + 4 bytes: chunks split inside characters
        List<String> texts = List.of("before", largest, "", multiByte, "after");
        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (String text : texts) {
            results.add(a.send(b.localAddress(), text));
        }
        for (CompletionStage<DeliveryResult> result : results) {
            assertDelivered(result);
        }
        Await.until("5 messages at B", WAIT_MILLIS, () -> atB.messages.size() >= 5);
        assertEquals(texts, atB.texts());
        assertTrue(a.stats().packetsSent() > TransportSettings.MAX_MESSAGE_BYTES / FrameCodec.MAX_PAYLOAD);
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
        Await.until("second message delivered", WAIT_MILLIS, () -> late.messages.size() == 1);
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
        Await.until("6 listener failures counted", WAIT_MILLIS, () -> b.counters().listenerFailures.get() == 6);
        // each is counted, then logged: the last ERROR may follow the count by a moment
        String failed = "failed on a message from 127.0.0.1:" + a.localAddress().port();
        Await.until("6 listener failures logged", WAIT_MILLIS, () -> logB.count("ERROR", failed) >= 6);
        assertEquals(6, logB.count("ERROR", failed));
        assertTrue(logB.at("ERROR").get(0).exception() instanceof IllegalStateException);
    }

    @Test
    public void concurrentSendersToOnePeerKeepTheirOrderAndLoseNothing() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        int threads = 4;
        int each = 500;
        List<CompletionStage<DeliveryResult>> results = new CopyOnWriteArrayList<>();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            senders.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    results.add(a.send(b.localAddress(), name + " " + i + " " + "w".repeat(i % 1500)));
                }
            }, "sender-" + t));
        }
        senders.forEach(Thread::start);
        for (Thread sender : senders) {
            sender.join(WAIT_MILLIS);
        }
        for (CompletionStage<DeliveryResult> result : results) {
            assertDelivered(result);
        }
        Await.until("all messages at B", WAIT_MILLIS, () -> atB.messages.size() >= threads * each);
        assertEquals(threads * each, atB.messages.size());
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + " ";
            List<String> mine = atB.texts().stream().filter(text -> text.startsWith(prefix))
                    .map(text -> text.split(" ")[1]).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < each; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals("order of " + prefix, expected, mine);
        }
    }

    // --- acknowledgement timing ----------------------------------------------------------------

    @Test
    public void theLastPacketBeforeTheSenderWaitsAsksForAnImmediateAck() throws Exception {
        UdpTransportEngine a = engine(FAST.withRto(5_000, 5_000, 5_000).withWindows(2, 2, 4, 64), List.of(), logA);
        RawPeer one = rawPeer();
        RawPeer other = rawPeer();

        a.send(new PeerAddress("127.0.0.1", one.address().getPort()), "lone");
        assertTrue("nothing queued behind it", ((Frame.Data) one.receiveFrame(WAIT_MILLIS)).ackNow());

        // More than the congestion window of 2 packets: the second fills it, then the sender waits.
        a.send(new PeerAddress("127.0.0.1", other.address().getPort()), "y".repeat(5 * FrameCodec.MAX_PAYLOAD));
        Frame.Data first = (Frame.Data) other.receiveFrame(WAIT_MILLIS);
        Frame.Data second = (Frame.Data) other.receiveFrame(WAIT_MILLIS);
        assertEquals(List.of(1L, 2L), List.of(first.seq(), second.seq()));
        assertFalse("more follows at once", first.ackNow());
        assertTrue("the window is full after it", second.ackNow());
    }

    @Test
    public void dataThatAsksForAnAckIsAcknowledgedAtOnceOtherDataAfterTheDrain() throws Exception {
        RawPeer raw = rawPeer();
        // Not started: the test plays the receive loop, which sends the pending ACKs once drained.
        UdpTransportEngine b = new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0), FAST, List.of(),
                logB.logger);
        Keepers.Manual keeper = new Keepers.Manual();
        keeper.keepAtOnce = true;
        b.keeper(keeper);
        toClose.add(b);
        List<ReceiveSession.Arrival> arrivals = new ArrayList<>();
        List<ReceiveSession> toAck = new ArrayList<>();
        Completions done = new Completions();

        b.handle(FrameCodecTest.data(5, 6, 1, "one"), raw.address(), arrivals, toAck, done);
        assertEquals("waits for the end of the drain", 1, toAck.size());
        assertEquals(0, b.counters().acksSent.get());

        ByteBuffer two = FrameCodecTest.data(5, 6, 2, "two");
        FrameCodec.setAckNow(two);
        b.handle(two, raw.address(), arrivals, toAck, done);
        assertTrue(toAck.isEmpty());
        assertEquals(1, b.counters().acksSent.get());
        Frame.Ack ack = (Frame.Ack) raw.receiveFrame(WAIT_MILLIS);
        assertEquals(2, ack.cumulative());
        assertEquals("kept before the ACK went out", List.of("one", "two"), keeper.keptTexts());
    }

    // --- piggy-backed acknowledgements -------------------------------------------------------

    /** An engine whose receive loop the test plays (not started): sends still go out at once. */
    private UdpTransportEngine unstartedEngine(TestLogger log) throws IOException {
        return unstartedEngine(FAST, log);
    }

    private UdpTransportEngine unstartedEngine(TransportSettings settings, TestLogger log) throws IOException {
        UdpTransportEngine engine = Keepers.keepingAll(new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0),
                settings, List.of(), log.logger));
        toClose.add(engine);
        return engine;
    }

    @Test
    public void anAckOwedToThePeerRidesOnTheNextDataThere() throws Exception {
        RawPeer raw = rawPeer();
        UdpTransportEngine b = unstartedEngine(logB);
        List<ReceiveSession> toAck = new ArrayList<>();

        b.handle(FrameCodecTest.data(5, 6, 1, "one"), raw.address(), new ArrayList<>(), toAck, new Completions());
        assertEquals("owed until the end of the drain", 1, toAck.size());
        b.send(new PeerAddress("127.0.0.1", raw.address().getPort()), "reply");

        ByteBuffer datagram = raw.receive(WAIT_MILLIS);
        assertEquals("ACK_INCLUDED, ACK_NOW, PIGGYBACK_OK", 0x31, datagram.get(4));
        Frame.Data data = (Frame.Data) FrameCodec.decode(datagram);
        assertEquals(1, data.seq());
        assertEquals("the raw peer's stream", 5, data.ack().session());
        assertEquals(b.incarnation(), data.ack().incarnation());
        assertEquals(1, data.ack().cumulative());
        assertEquals(1, b.counters().acksPiggybacked.get());
        assertEquals(0, b.counters().acksSent.get());
        assertNull("nothing left for the drain to send", toAck.get(0).pendingAck());
    }

    @Test
    public void anIdleEngineWakesItsTimerOnlyAFewTimesASecond() throws Exception {
        UdpTransportEngine a = engine(TransportSettings.defaults(), List.of(), logA);
        Await.until("the timer to idle", 5_000, a::idleTicks);
        long before = a.ticks();
        Thread.sleep(1_000);
        long perSecond = a.ticks() - before;
        assertTrue("timer runs in an idle second: " + perSecond + " (busy: 200)", perSecond <= 8);
    }

    @Test
    public void aSendWakesAnIdleTimerAtOnceSoLostPacketsAreResentAsEver() throws Exception {
        RawPeer silent = rawPeer(); // receives, never acknowledges
        UdpTransportEngine a = engine(TransportSettings.defaults(), List.of(), logA);
        Await.until("the timer to idle", 5_000, a::idleTicks);
        CompletionStage<DeliveryResult> result = a.send(new PeerAddress("127.0.0.1", silent.address().getPort()),
                "hello?");
        assertFalse("a send brings the 5 ms timer back", a.idleTicks());
        Frame.Data first = (Frame.Data) silent.receiveFrame(WAIT_MILLIS);
        Frame.Data again = (Frame.Data) silent.receiveFrame(WAIT_MILLIS);
        assertEquals("resent by the timer", first.seq(), again.seq());
        assertFalse("still waiting for an ACK", result.toCompletableFuture().isDone());
        assertFalse("timers stay fast while a packet waits for its ACK", a.idleTicks());
    }

    @Test
    public void packetsLeaveRoomForAnAckOnlyWhileThePeerSendsToo() throws Exception {
        RawPeer raw = rawPeer();
        UdpTransportEngine b = unstartedEngine(logB);
        PeerAddress rawAddress = new PeerAddress("127.0.0.1", raw.address().getPort());
        String large = "L".repeat(3000);

        b.send(rawAddress, large); // one-way: full packets
        ByteBuffer first = raw.receive(WAIT_MILLIS);
        assertEquals("a full packet, as large as ever", FrameCodec.MAX_DATA_DATAGRAM, first.remaining());

        List<ReceiveSession> toAck = new ArrayList<>();
        b.handle(FrameCodecTest.data(5, 6, 1, "one"), raw.address(), new ArrayList<>(), toAck, new Completions());
        b.send(rawAddress, large); // the peer sends too: room kept, and the owed ACK rides along
        ByteBuffer withAck = null;
        for (ByteBuffer datagram; (datagram = raw.receive(1000)) != null;) {
            assertTrue("no datagram over 1232 bytes: " + datagram.remaining(),
                    datagram.remaining() <= FrameCodec.MAX_UNFRAGMENTED_DATAGRAM);
            if ((datagram.get(4) & FrameCodec.FLAG_ACK_INCLUDED) != 0) {
                withAck = datagram;
            }
        }
        assertNotNull("the owed ACK rode on a DATA", withAck);
        assertEquals(1, ((Frame.Data) FrameCodec.decode(withAck)).ack().cumulative());
        assertEquals(1, b.counters().acksPiggybacked.get());
    }

    @Test
    public void aPeerThatDoesNotAnnounceIncludedAcksGetsItsAckAlone() throws Exception {
        RawPeer raw = rawPeer();
        UdpTransportEngine b = unstartedEngine(logB);
        List<ReceiveSession> toAck = new ArrayList<>();
        ByteBuffer fromOlderPeer = FrameCodecTest.data(5, 6, 1, "one");
        fromOlderPeer.put(4, (byte) 0); // an older v2 peer sets no PIGGYBACK_OK

        b.handle(fromOlderPeer, raw.address(), new ArrayList<>(), toAck, new Completions());
        b.send(new PeerAddress("127.0.0.1", raw.address().getPort()), "reply");

        ByteBuffer datagram = raw.receive(WAIT_MILLIS);
        assertEquals("ACK_NOW, PIGGYBACK_OK, no ACK_INCLUDED", 0x30, datagram.get(4));
        assertNull(((Frame.Data) FrameCodec.decode(datagram)).ack());
        assertEquals(0, b.counters().acksPiggybacked.get());
        assertNotNull("still owed: the drain sends it alone", toAck.get(0).pendingAck());
    }

    @Test
    public void dataLetOutByAnIncludedAckCarriesTheAckThatPacketAsksFor() throws Exception {
        RawPeer raw = rawPeer();
        UdpTransportEngine b = unstartedEngine(FAST.withWindows(1, 1, 1, 64), logB); // one packet in flight
        PeerAddress rawAddress = new PeerAddress("127.0.0.1", raw.address().getPort());
        CompletableFuture<DeliveryResult> first = b.send(rawAddress, "first").toCompletableFuture();
        Frame.Data packet1 = (Frame.Data) raw.receiveFrame(WAIT_MILLIS);
        b.send(rawAddress, "second"); // waits for the window
        List<ReceiveSession> toAck = new ArrayList<>();
        Completions done = new Completions();

        // The raw peer's packet 1 acknowledges b's packet 1 and asks for an ACK at once.
        ByteBuffer reply = FrameCodec.includeAck(FrameCodecTest.data(7, 9, 1, "hi"),
                new Frame.Ack(packet1.session(), 9, 1, 64, 0, new long[0]));
        FrameCodec.setAckNow(reply);
        b.handle(reply, raw.address(), new ArrayList<>(), toAck, done);
        done.run();

        assertDelivered(first);
        Frame.Data packet2 = (Frame.Data) raw.receiveFrame(WAIT_MILLIS);
        assertEquals(2, packet2.seq());
        assertEquals("the ACK asked for rides on the DATA the window let out", 1, packet2.ack().cumulative());
        assertEquals(7, packet2.ack().session());
        assertEquals(0, b.counters().acksSent.get());
        assertEquals(1, b.counters().acksPiggybacked.get());
        assertTrue(toAck.isEmpty());
        assertNull("nothing else came", raw.receive(100));
    }

    @Test
    public void anAckIsIncludedOnlyWithFewRangesAndWhenTheDataHasRoomForIt() throws Exception {
        UdpTransportEngine b = unstartedEngine(logB);
        ReceiveSession session = new ReceiveSession(b, new InetSocketAddress("127.0.0.1", 9), 5, 0);
        session.onData((Frame.Data) FrameCodec.decode(FrameCodecTest.data(5, 6, 1, "m1")), 0, false);
        for (ReceiveSession.Offer offer : session.takeOffers(0)) {
            session.kept(offer, null, 0); // m1 kept: the cumulative ACK may pass packet 1
        }
        int roomInAFullPacket = FrameCodec.MAX_UNFRAGMENTED_DATAGRAM - FrameCodec.MAX_DATA_DATAGRAM;
        assertNull("a full packet has no room: it would not fit 1232 bytes", session.ackToInclude(roomInAFullPacket));
        assertEquals(0, session.ackToInclude(FrameCodec.INCLUDED_ACK_BODY).rangeCount());

        for (long seq : new long[] {3, 5, 7}) {
            session.onData((Frame.Data) FrameCodec.decode(FrameCodecTest.data(5, 6, seq, "m" + seq)), 0, false);
        }
        assertNull("3 ranges: never included", session.ackToInclude(1000));
        Frame.Ack alone = (Frame.Ack) FrameCodec.decode(session.pendingAck());
        assertEquals(3, alone.rangeCount());

        session.onData((Frame.Data) FrameCodec.decode(FrameCodecTest.data(5, 6, 4, "m4")), 0, false);
        assertNull("2 ranges do not fit room for one", session.ackToInclude(FrameCodec.INCLUDED_ACK_BODY + 16));
        Frame.Ack included = session.ackToInclude(FrameCodec.INCLUDED_ACK_BODY + 32);
        assertEquals("2 ranges fit", 2, included.rangeCount());
        assertEquals(1, included.cumulative());
        assertNull("taken", session.ackToInclude(1000));
        assertNull(session.pendingAck());
    }

    @Test
    public void anAckIncludedInDataIsHandledLikeAnAckDatagram() throws Exception {
        RecordingListener atA = new RecordingListener();
        UdpTransportEngine a = engine(FAST.withRto(5_000, 5_000, 5_000), List.of(atA), logA);
        RawPeer raw = rawPeer();
        CompletableFuture<DeliveryResult> result = a.send(new PeerAddress("127.0.0.1", raw.address().getPort()),
                "hello").toCompletableFuture();
        Frame.Data hello = (Frame.Data) raw.receiveFrame(WAIT_MILLIS);

        // An ACK of another session: stale, but the packet it came in is taken all the same.
        ByteBuffer first = FrameCodec.includeAck(FrameCodecTest.data(7, 9, 1, "first"),
                new Frame.Ack(hello.session() + 1, 9, 1, 64, 0, new long[0]));
        raw.send(first, socket(a));
        Await.until("first message at A", WAIT_MILLIS, () -> atA.messages.size() == 1);
        assertEquals(1, a.counters().staleFrames.get());
        assertFalse(result.isDone());

        ByteBuffer second = FrameCodec.includeAck(FrameCodecTest.data(7, 9, 2, "second"),
                new Frame.Ack(hello.session(), 9, 1, 64, 0, new long[0]));
        FrameCodec.setAckNow(second);
        raw.send(second, socket(a));
        assertDelivered(result);
        assertEquals(1, a.counters().acksReceived.get());
        Await.until("second message at A", WAIT_MILLIS, () -> atA.messages.size() == 2);
        assertEquals(List.of("first", "second"), atA.texts());
        Frame.Ack ack;
        do { // the ACK of "first" may come before the one of "second"
            ack = (Frame.Ack) raw.receiveFrame(WAIT_MILLIS);
        } while (ack.cumulative() < 2);
        assertEquals(7, ack.session());
    }

    // --- duplicates, order and loss -----------------------------------------------------------

    @Test
    public void aReplayedDatagramIsAcknowledgedEachTimeButDeliveredOnce() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        RawPeer raw = rawPeer();
        ByteBuffer data = FrameCodecTest.data(0x0BADCAFE, 77, 1, "only once");

        for (int copy = 0; copy < 3; copy++) {
            raw.send(data, socket(b));
            Frame.Ack ack = ackReaching(raw, 0x0BADCAFE, 1);
            assertEquals(0x0BADCAFE, ack.session());
            assertEquals(b.incarnation(), ack.incarnation());
            assertEquals(1, ack.cumulative());
        }
        Await.until("message at B", WAIT_MILLIS, () -> !atB.messages.isEmpty());
        assertEquals(List.of("only once"), atB.texts());
        assertEquals(1, b.stats().messagesReceived());
        assertEquals(2, b.stats().duplicatesDropped());

        // Seq 1 of a new session is a fresh stream (a restarted peer), not a duplicate.
        raw.send(FrameCodecTest.data(0x0BADCAFF, 78, 1, "after restart"), socket(b));
        // an ACK with cumulative 0 may come first, when the keep went to the keeper thread
        assertEquals(1, ackReaching(raw, 0x0BADCAFF, 1).cumulative());
        Await.until("second message at B", WAIT_MILLIS, () -> atB.messages.size() >= 2);
        assertEquals(List.of("only once", "after restart"), atB.texts());

        // A late datagram of the old session must not reset the new stream.
        raw.send(FrameCodecTest.data(0x0BADCAFE, 77, 2, "late from the old session"), socket(b));
        raw.send(FrameCodecTest.data(0x0BADCAFF, 78, 2, "second of the new"), socket(b));
        Await.until("third message at B", WAIT_MILLIS, () -> atB.messages.size() >= 3);
        assertEquals(List.of("only once", "after restart", "second of the new"), atB.texts());
        assertEquals(1, b.counters().staleFrames.get());
    }

    /** Reads ACKs until one of {@code session} acknowledges {@code cumulative} (earlier ones may lag behind the keeper). */
    private static Frame.Ack ackReaching(RawPeer raw, int session, long cumulative) throws Exception {
        for (int frames = 0; frames < 50; frames++) {
            Frame frame = raw.receiveFrame(WAIT_MILLIS);
            if (frame instanceof Frame.Ack ack && ack.session() == session && ack.cumulative() >= cumulative) {
                return ack;
            }
        }
        throw new AssertionError("no ACK of " + cumulative + " for session " + Integer.toHexString(session));
    }

    @Test
    public void outOfOrderPacketsAreHeldAndDeliveredInOrderWithSelectiveAcks() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        RawPeer raw = rawPeer();

        raw.send(FrameCodecTest.data(5, 6, 3, "three"), socket(b));
        Frame.Ack first = (Frame.Ack) raw.receiveFrame(WAIT_MILLIS);
        assertEquals(0, first.cumulative());
        assertEquals(List.of(3L, 3L), List.of(first.ranges()[0], first.ranges()[1]));
        raw.send(FrameCodecTest.data(5, 6, 5, "five"), socket(b));
        Frame.Ack second = (Frame.Ack) raw.receiveFrame(WAIT_MILLIS);
        assertEquals(2, second.rangeCount());
        raw.send(FrameCodecTest.data(5, 6, 2, "two"), socket(b));
        raw.receiveFrame(WAIT_MILLIS);
        assertTrue("nothing before seq 1", atB.messages.isEmpty());
        raw.send(FrameCodecTest.data(5, 6, 1, "one"), socket(b));
        Frame.Ack afterGap = ackReaching(raw, 5, 3);
        assertEquals(3, afterGap.cumulative());
        assertEquals(1, afterGap.rangeCount());
        raw.send(FrameCodecTest.data(5, 6, 4, "four"), socket(b));
        Await.until("5 messages at B", WAIT_MILLIS, () -> atB.messages.size() >= 5);
        assertEquals(List.of("one", "two", "three", "four", "five"), atB.texts());
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
        assertTrue("retransmitted " + a.stats().packetsRetransmitted(), a.stats().packetsRetransmitted() >= 3);
        assertEquals(2, b.stats().messagesReceived());
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
        assertTrue(a.stats().packetsRetransmitted() >= 1);
        assertEquals(20, b.stats().messagesReceived());
    }

    @Test
    public void anAckFromAnotherSessionDoesNotCompleteTheSend() throws Exception {
        UdpTransportEngine a = engine(FAST.withRto(5_000, 5_000, 5_000), List.of(), logA);
        RawPeer raw = rawPeer();
        PeerAddress rawAddress = new PeerAddress("127.0.0.1", raw.address().getPort());

        CompletableFuture<DeliveryResult> result = a.send(rawAddress, "hello").toCompletableFuture();
        Frame.Data data = (Frame.Data) raw.receiveFrame(WAIT_MILLIS);
        assertEquals(1, data.seq());
        assertEquals(a.incarnation(), data.incarnation());

        raw.send(FrameCodec.encodeAck(data.session() + 1, 9, 1, 64, 0, new long[0]), socket(a));
        Await.until("stale ACK counted", WAIT_MILLIS, () -> a.counters().staleFrames.get() == 1);
        raw.send(FrameCodec.encodeAck(data.session(), 9, 2, 64, 0, new long[0]), socket(a)); // acks the unsent
        Await.until("bogus ACK counted", WAIT_MILLIS, () -> a.counters().staleFrames.get() == 2);
        assertFalse(result.isDone());

        raw.send(FrameCodec.encodeAck(data.session(), 9, 1, 64, 0, new long[0]), socket(a));
        assertDelivered(result);
        assertEquals(1, a.counters().acksReceived.get());
    }

    // --- failures and sessions ---------------------------------------------------------------

    @Test
    public void aSendToAPortNobodyListensOnFailsAsUnreachable() throws Exception {
        UdpTransportEngine a = engine(FAST.withRto(50, 50, 200).withDeliveryTimeout(500), List.of(), logA);
        int port = unusedPort();

        DeliveryResult result = await(a.send(new PeerAddress("127.0.0.1", port), "hello?"));
        assertEquals(DeliveryStatus.FAILED, result.status());
        assertTrue(result.reason(), result.reason().matches(
                "peer unreachable: no answer from 127\\.0\\.0\\.1:" + port + " for \\d+ ms"));
        assertEquals(1, a.stats().messagesFailed());
        assertTrue(a.stats().packetsRetransmitted() >= 1);
        assertEquals(1, logA.count("WARN", "peer unreachable"));
    }

    @Test
    public void aPeerThatDisappearsFailsPendingSendsAndGetsAFreshSessionWhenBack() throws Exception {
        TransportSettings shortDeadline = FAST.withRto(20, 10, 100).withDeliveryTimeout(600);
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(shortDeadline, List.of(), logA);
        UdpTransportEngine b = engine(shortDeadline, List.of(atB), logB);
        PeerAddress bAddress = b.localAddress();
        assertDelivered(a.send(bAddress, "hello"));
        b.close();

        List<CompletionStage<DeliveryResult>> pending = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pending.add(a.send(bAddress, "into the void " + i + " " + "y".repeat(i * 100)));
        }
        for (CompletionStage<DeliveryResult> result : pending) {
            assertFailed("peer unreachable: no answer from " + bAddress, result);
        }
        assertEquals(50, a.stats().messagesFailed());

        RecordingListener atB2 = new RecordingListener();
        UdpTransportEngine b2 = engine(NioDatagramIo.bind("127.0.0.1", bAddress.port()), shortDeadline,
                List.of(atB2), logB);
        assertDelivered(a.send(bAddress, "welcome back"));
        Await.until("message at the new B", WAIT_MILLIS, () -> !atB2.messages.isEmpty());
        assertEquals(List.of("welcome back"), atB2.texts());
        assertEquals(1, peer(a, bAddress).messagesSent()); // a fresh session: its counters start again
        assertEquals(1, b2.stats().messagesReceived());
    }

    @Test
    public void aRestartedPeerIsNoticedAndTheNextSessionDelivers() throws Exception {
        TransportSettings slowRto = FAST.withRto(300, 300, 300);
        UdpTransportEngine a = engine(slowRto, List.of(), logA);
        UdpTransportEngine b = engine(slowRto, List.of(), logB);
        PeerAddress bAddress = b.localAddress();
        assertDelivered(a.send(bAddress, "one"));
        b.close();
        RecordingListener atB2 = new RecordingListener();
        engine(NioDatagramIo.bind("127.0.0.1", bAddress.port()), slowRto, List.of(atB2), logB);
        // The new B holds seq 2 of a stream it never saw begin, and answers with its new incarnation.
        assertFailed("peer restarted: " + bAddress, a.send(bAddress, "two"));
        assertDelivered(a.send(bAddress, "three"));
        Await.until("message at the new B", WAIT_MILLIS, () -> !atB2.messages.isEmpty());
        assertEquals(List.of("three"), atB2.texts());
    }

    @Test
    public void whenARestartedPeerLostAnEarlierMessageTheQueuedOnesFailWithItSoNoneOvertakesIt() throws Exception {
        // A window of 2 packets, so later messages wait in the queue; no retransmission before B2 is up.
        TransportSettings settings = FAST.withRto(300, 300, 300).withWindows(2, 2, 2, 64);
        UdpTransportEngine a = engine(settings, List.of(), logA);
        UdpTransportEngine b = engine(settings, List.of(), logB);
        PeerAddress bAddress = b.localAddress();
        assertDelivered(a.send(bAddress, "one"));
        b.close();

        // Nobody acknowledges now. "two" goes in packet 2, the start of the long "three" in packet 3;
        // the window is full, so the rest of "three" and everything after it stays queued.
        List<String> texts = new ArrayList<>(List.of("two", "three " + "3".repeat(3000)));
        for (int i = 4; i <= 12; i++) {
            texts.add("queued " + i);
        }
        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (String text : texts) {
            results.add(a.send(bAddress, text));
        }
        RecordingListener atB2 = new RecordingListener();
        engine(NioDatagramIo.bind("127.0.0.1", bAddress.port()), settings, List.of(atB2), logB);

        // B2 holds a resent packet of a stream it never saw begin and answers with its new incarnation:
        // "two" may have arrived at the old B and fails; the queued ones fail with it, so that whoever
        // sends "two" again can send them after it (in the product, the chat core's outbox does)
        for (CompletionStage<DeliveryResult> result : results) {
            assertFailed("peer restarted: " + bAddress + " lost this session's state", result);
        }
        assertDelivered(a.send(bAddress, "sent later"));
        Await.until("the later message at B2", WAIT_MILLIS, () -> !atB2.messages.isEmpty());
        assertEquals(List.of("sent later"), atB2.texts());
        assertEquals(texts.size(), a.stats().messagesFailed());
        assertEquals(1, logA.count("WARN", texts.size() + " message(s) to " + bAddress + " failed: peer restarted"));
        assertEquals(0, logA.count("INFO", "unsent message(s) to restarted peer"));
    }

    @Test
    public void idleSessionsPingTheirPeerThenClose() throws Exception {
        TransportSettings quickIdle = FAST.withKeepAlive(30, 400);
        UdpTransportEngine a = engine(quickIdle, List.of(), logA);
        UdpTransportEngine b = engine(quickIdle, List.of(), logB);
        assertDelivered(a.send(b.localAddress(), "hi"));
        Await.until("keep-alive pings", WAIT_MILLIS, () -> a.counters().pingsSent.get() >= 2);
        Await.until("idle session closed", WAIT_MILLIS, () -> a.stats().peers().stream()
                .noneMatch(p -> p.peer().equals(b.localAddress()) && p.messagesSent() > 0));
        assertDelivered(a.send(b.localAddress(), "hi again"));
    }

    @Test
    public void aSlowListenerClosesTheReceiveWindowAndNothingIsLost() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener atB = new RecordingListener();
        MessageListener slow = message -> {
            try {
                release.await(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        TransportSettings smallWindow = FAST.withWindows(2, 4, 64, 8);
        UdpTransportEngine a = engine(smallWindow, List.of(), logA);
        UdpTransportEngine b = engine(smallWindow, List.of(slow, atB), logB);
        List<CompletionStage<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            results.add(a.send(b.localAddress(), "m" + i + " " + "z".repeat(1000)));
        }
        Await.until("sender blocked by the window", WAIT_MILLIS,
                () -> "blocked".equals(peer(a, b.localAddress()).state()));
        assertTrue("accepted " + b.stats().messagesReceived(), b.stats().messagesReceived() <= 20);
        release.countDown();
        for (CompletionStage<DeliveryResult> result : results) {
            assertDelivered(result);
        }
        Await.until("100 messages at B", WAIT_MILLIS, () -> atB.messages.size() >= 100);
        assertEquals(100, new HashSet<>(atB.texts()).size());
        assertTrue(atB.texts().get(99).startsWith("m99 "));
    }

    @Test
    public void anOversizedMessageIsRefusedAtOnce() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        PeerAddress somewhere = new PeerAddress("127.0.0.1", unusedPort());

        CompletableFuture<DeliveryResult> ascii = a.send(somewhere, "x".repeat((1 << 20) + 1)).toCompletableFuture();
        assertTrue("completed before send returned", ascii.isDone());
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED,
                "message too large: 1048577 bytes (max 1048576 bytes = 1 MiB)"), ascii.join());
        CompletableFuture<DeliveryResult> euros = a.send(somewhere, "€".repeat(349_526)).toCompletableFuture();
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED,
                "message too large: 1048578 bytes (max 1048576 bytes = 1 MiB)"), euros.getNow(null));
        assertEquals(0, a.stats().messagesSent());
        assertEquals(2, a.stats().messagesFailed());
    }

    @Test
    public void badDestinationsFailWithoutThrowing() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        assertFailed("invalid address 127.0.0.1:0: port must be 1..65535", a.send(new PeerAddress("127.0.0.1", 0), "x"));
        assertFailed("invalid address 127.0.0.1:70000", a.send(new PeerAddress("127.0.0.1", 70_000), "x"));
        assertFailed("invalid address  :5000: no host", a.send(new PeerAddress(" ", 5000), "x"));
        assertFailed("unknown host no-such-host.invalid", a.send(new PeerAddress("no-such-host.invalid", 5000), "x"));
        assertEquals(4, a.stats().messagesFailed());
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
        garbage.add(FrameCodecTest.bytes("50430101" + "0012" + "00000001" + "0000000000000001")); // v1 ACK
        garbage.add(FrameCodecTest.bytes("50430209" + "000e" + "00000001" + "00000001")); // type 9
        garbage.add(FrameCodecTest.bytes("50430201" + "000e" + "00000001" + "00000001" + "0000000000000001"
                + "030000" + "0500")); // chunk header cut
        byte[] oversized = new byte[FrameCodec.MAX_DATAGRAM + 500];
        System.arraycopy(FrameCodecTest.bytes("50430201000e" + "0000000100000001" + "0000000000000001"), 0,
                oversized, 0, 22);
        garbage.add(oversized);
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
        // Header-less datagrams that are text go to the listeners marked plain (the original application's
        // chat messages; the chat core trusts them only from legacy peers). Of these random bytes only the
        // seed's one-byte "_" is text; a lone C1 control character, empty and blank datagrams are not.
        Await.until("all garbage counted", WAIT_MILLIS,
                () -> b.stats().malformedDropped() + b.counters().plainReceived.get() == garbage.size());
        assertEquals(garbage.size() - 1, b.stats().malformedDropped());
        Await.until("the plain one delivered", WAIT_MILLIS, () -> !atB.messages.isEmpty());
        assertEquals(List.of("_"), atB.texts());
        assertTrue(atB.messages.get(0).plain());
        atB.messages.clear();
        assertEquals("nothing answered garbage", 0, b.counters().acksSent.get());

        // Valid frames with invalid content: bad UTF-8 is counted too, and the stream goes on.
        raw.send(FrameCodecTest.bytes("50430201000e" + "0000000700000001" + "0000000000000001" + "030001ff"), socket(b));
        raw.send(FrameCodecTest.data(7, 1, 2, "fine"), socket(b));
        Await.until("good message after the bad one", WAIT_MILLIS, () -> !atB.messages.isEmpty());
        assertEquals(garbage.size(), b.stats().malformedDropped());

        assertDelivered(a.send(b.localAddress(), "still alive"));
        Await.until("message at B", WAIT_MILLIS, () -> atB.messages.size() >= 2);
        assertEquals(List.of("fine", "still alive"), atB.texts());
        assertEquals("warnings are rate-limited", 1, logB.count("WARN", "dropped malformed datagram"));
        assertTrue(logB.count("DEBUG", "dropped malformed datagram") >= garbage.size() - 2); // one WARN, one plain
    }

    @Test
    public void closeFailsPendingSendsAndLaterSends() throws Exception {
        UdpTransportEngine a = engine(FAST.withRto(50, 50, 200).withDeliveryTimeout(60_000), List.of(), logA);
        RawPeer silent = rawPeer(); // bound but never answers
        PeerAddress nobody = new PeerAddress("127.0.0.1", silent.address().getPort());

        List<CompletionStage<DeliveryResult>> pending = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // more than the window: some wait in the queue
            pending.add(a.send(nobody, "are you there? " + i + " " + "q".repeat(500)));
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
        NioDatagramIo.bind("127.0.0.1", port).close(); // the port is free again
    }

    @Test
    public void eachEngineHasItsOwnIncarnation() throws Exception {
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(), logB);
        assertNotEquals(a.incarnation(), b.incarnation()); // random 32-bit values: equal with p = 2^-32
        assertEquals("127.0.0.1", a.localAddress().host());
        assertTrue(a.localAddress().port() > 0);
    }

    @Test
    public void settingsChangeAtRuntime() throws Exception {
        RecordingListener atB = new RecordingListener();
        UdpTransportEngine a = engine(FAST, List.of(), logA);
        UdpTransportEngine b = engine(FAST, List.of(atB), logB);
        assertDelivered(a.send(b.localAddress(), "before"));
        a.update(FAST.withDeliveryTimeout(1234));
        assertEquals(1234, a.settings().deliveryTimeoutMillis());
        assertDelivered(a.send(b.localAddress(), "after"));
    }
}
