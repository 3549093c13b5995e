package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;

/**
 * ACKs included in DATA, between two engines on the in-JVM {@link SimulatedNetwork}: both sides
 * send at the same time, with small congestion windows so packets go in bursts whose ACKs are owed
 * until the end of a drain, when DATA going back can take them along. A {@link FlagIo} around an
 * endpoint checks the flags of every datagram its engine receives and can make the engine an older
 * v2 peer: it neither announces PIGGYBACK_OK nor sees it announced.
 */
public class PiggybackedAckTest {

    private static final long SEED = 20260301L;
    private static final int MESSAGES = 1500;
    private static final long WAIT_SECONDS = 60;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /**
     * Counts incoming DATA (with an included ACK, with PIGGYBACK_OK) as the peer sent them; when
     * {@code old}, clears PIGGYBACK_OK on the way out and (after counting) on the way in.
     */
    static final class FlagIo implements DatagramIo {
        private final DatagramIo delegate;
        private final boolean old;
        final AtomicLong dataIn = new AtomicLong();
        final AtomicLong dataWithAckIn = new AtomicLong();
        final AtomicLong announcedIn = new AtomicLong();

        FlagIo(DatagramIo delegate, boolean old) {
            this.delegate = delegate;
            this.old = old;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            if (old) {
                ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram.duplicate()).flip();
                copy.put(4, (byte) (copy.get(4) & ~FrameCodec.FLAG_PIGGYBACK_OK));
                delegate.send(copy, to);
            } else {
                delegate.send(datagram, to);
            }
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) throws IOException {
            return inspect(into, delegate.receive(into));
        }

        @Override
        public InetSocketAddress poll(ByteBuffer into) throws IOException {
            return inspect(into, delegate.poll(into));
        }

        private InetSocketAddress inspect(ByteBuffer into, InetSocketAddress source) {
            if (source == null || into.position() <= 4) {
                return source;
            }
            int flags = into.get(4);
            if (into.get(3) == FrameType.DATA.code) {
                dataIn.incrementAndGet();
                if ((flags & FrameCodec.FLAG_ACK_INCLUDED) != 0) {
                    dataWithAckIn.incrementAndGet();
                }
                if ((flags & FrameCodec.FLAG_PIGGYBACK_OK) != 0) {
                    announcedIn.incrementAndGet();
                }
            }
            if (old) {
                into.put(4, (byte) (flags & ~FrameCodec.FLAG_PIGGYBACK_OK));
            }
            return source;
        }

        @Override
        public InetSocketAddress localAddress() {
            return delegate.localAddress();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }

    /**
     * One run: A and B send {@link #MESSAGES} each to the other at the same time. ACK datagrams and
     * included ACKs of both engines, counted once everything is delivered.
     */
    private record Run(UdpTransportEngine a, FlagIo ioA, FlagIo ioB, long standaloneAcks, long piggybacked) {
    }

    private Run exchange(boolean aOld, boolean bOld, long seed) throws Exception {
        SimulatedNetwork network = new SimulatedNetwork(seed, new SimulatedNetwork.Faults(0, 0, 0, 200));
        toClose.add(network);
        TransportSettings settings = TransportSettings.defaults().withDeliveryTimeout(WAIT_SECONDS * 1000)
                .withWindows(4, 4, 4, TransportSettings.DEFAULT_RECEIVE_WINDOW);
        RecordingListener atA = new RecordingListener();
        RecordingListener atB = new RecordingListener();
        FlagIo ioA = new FlagIo(network.endpoint("10.0.0.1", 4001), aOld);
        FlagIo ioB = new FlagIo(network.endpoint("10.0.0.2", 4002), bOld);
        UdpTransportEngine a = engine(ioA, settings, atA, seed + 1);
        UdpTransportEngine b = engine(ioB, settings, atB, seed + 2);

        List<String> fromA = texts("A", new Random(seed + 3));
        List<String> fromB = texts("B", new Random(seed + 4));
        List<CompletableFuture<DeliveryResult>> resultsA = new ArrayList<>();
        List<CompletableFuture<DeliveryResult>> resultsB = new ArrayList<>();
        Thread senderB = new Thread(() -> Exchanges.sendAll(b, a.localAddress(), fromB, resultsB), "sender-B");
        senderB.start();
        Exchanges.sendAll(a, b.localAddress(), fromA, resultsA);
        senderB.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        Exchanges.assertAllDelivered(resultsA, WAIT_SECONDS);
        Exchanges.assertAllDelivered(resultsB, WAIT_SECONDS);
        Await.until("all messages at B", WAIT_SECONDS * 1000, () -> atB.messages.size() >= MESSAGES);
        Await.until("all messages at A", WAIT_SECONDS * 1000, () -> atA.messages.size() >= MESSAGES);
        // Exactly once and in order: the received list equals the sent list (and nothing else came).
        assertTrue("B got the wrong messages", fromA.equals(atB.texts()));
        assertTrue("A got the wrong messages", fromB.equals(atA.texts()));
        assertEquals(0, a.stats().malformedDropped() + b.stats().malformedDropped());
        return new Run(a, ioA, ioB, a.counters().acksSent.get() + b.counters().acksSent.get(),
                a.counters().acksPiggybacked.get() + b.counters().acksPiggybacked.get());
    }

    @Test
    public void acksRideOnDataWhenBothSidesSendAtTheSameTime() throws Exception {
        Run piggybacking = exchange(false, false, SEED);
        Run plain = exchange(true, true, SEED); // the same exchange between two older v2 peers
        String figures = String.format("with piggy-backing %d ACK datagrams + %d included; without %d + %d",
                piggybacking.standaloneAcks(), piggybacking.piggybacked(), plain.standaloneAcks(),
                plain.piggybacked());
        System.out.println("piggy-backed ACKs: " + figures);
        assertTrue(figures, piggybacking.piggybacked() > 0);
        assertTrue(figures, piggybacking.ioA().dataWithAckIn.get() + piggybacking.ioB().dataWithAckIn.get() > 0);
        assertTrue(figures, piggybacking.standaloneAcks() < plain.standaloneAcks());
        assertEquals(0, plain.piggybacked());
        assertEquals(0, plain.ioA().dataWithAckIn.get() + plain.ioB().dataWithAckIn.get());
    }

    @Test
    public void anOlderPeerIsNeverSentAnIncludedAck() throws Exception {
        Run run = exchange(false, true, SEED + 10); // B plays an older v2 peer
        assertTrue("B got DATA", run.ioB().dataIn.get() > 0);
        assertEquals("DATA with ACK_INCLUDED at B", 0, run.ioB().dataWithAckIn.get());
        assertEquals(0, run.a().counters().acksPiggybacked.get());
        assertTrue("A acknowledged B's stream with ACK datagrams", run.a().counters().acksSent.get() > 0);
        assertEquals("B never announced PIGGYBACK_OK", 0, run.ioA().announcedIn.get());
        assertEquals("A announced it on every DATA", run.ioB().dataIn.get(), run.ioB().announcedIn.get());
    }

    private UdpTransportEngine engine(DatagramIo io, TransportSettings settings, RecordingListener listener,
            long seed) {
        UdpTransportEngine engine = Keepers.keepingAll(new UdpTransportEngine(io, settings, List.of(listener),
                new TestLogger().logger, System::nanoTime, new Random(seed)));
        toClose.add(engine);
        engine.start();
        return engine;
    }

    /** Mostly one packet or less, some several packets long; each names its sender and index. */
    private static List<String> texts(String sender, Random random) {
        List<String> texts = new ArrayList<>(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            int size = random.nextDouble() < 0.8 ? 10 + random.nextInt(300) : 1200 + random.nextInt(5000);
            StringBuilder text = new StringBuilder(size).append(sender).append(i).append(':');
            while (text.length() < size) {
                text.append((char) ('a' + (text.length() * 7 + i) % 26));
            }
            texts.add(text.toString());
        }
        return texts;
    }
}
