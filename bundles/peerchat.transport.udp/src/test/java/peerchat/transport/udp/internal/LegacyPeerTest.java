package peerchat.transport.udp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;

/**
 * The transport against a client of the original application, written only from
 * LEGACY-PROTOCOL.md: a plain {@link DatagramSocket} on loopback that sends {@code NAME: text}
 * datagrams (UTF-8, nothing else) and reads with a 65,536-byte buffer.
 */
public class LegacyPeerTest {

    private static final long WAIT_MILLIS = 20_000;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final TestLogger log = new TestLogger();
    private final RecordingListener listener = new RecordingListener();

    @After
    public void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** The original client's UDP side. */
    static final class OriginalClient implements AutoCloseable {
        final DatagramSocket socket;

        OriginalClient() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout((int) WAIT_MILLIS); // a bound on a broken test, not a timed assertion
        }

        PeerAddress address() {
            return new PeerAddress("127.0.0.1", socket.getLocalPort());
        }

        void send(String line, PeerAddress to) throws IOException {
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(to.host()), to.port()));
        }

        byte[] receiveBytes() throws IOException {
            DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
            socket.receive(packet);
            byte[] bytes = new byte[packet.getLength()];
            System.arraycopy(packet.getData(), packet.getOffset(), bytes, 0, bytes.length);
            return bytes;
        }

        /** What the original shows: the text, trimmed. */
        String receive() throws IOException {
            return new String(receiveBytes(), StandardCharsets.UTF_8).trim();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private UdpTransportEngine engine() throws IOException {
        UdpTransportEngine engine = Keepers.keepingAll(new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0),
                TransportSettings.defaults(), List.of(listener), log.logger));
        toClose.add(engine);
        engine.start();
        return engine;
    }

    private OriginalClient original() throws IOException {
        OriginalClient client = new OriginalClient();
        toClose.add(client);
        return client;
    }

    private static DeliveryResult await(java.util.concurrent.CompletionStage<DeliveryResult> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    public void aPlainSendArrivesAsJustTheTextAndCompletesSent() throws Exception {
        UdpTransportEngine engine = engine();
        OriginalClient bob = original();

        DeliveryResult result = await(engine.sendPlain(bob.address(), "alice: hello"));
        assertEquals(new DeliveryResult(DeliveryStatus.SENT, ""), result);
        assertArrayEquals("alice: hello".getBytes(StandardCharsets.UTF_8), bob.receiveBytes());
        assertEquals(new DeliveryResult(DeliveryStatus.SENT, ""), await(engine.sendPlain(bob.address(),
                "alice: Grüße 👋")));
        assertEquals("alice: Grüße 👋", bob.receive());
        assertEquals(2, engine.counters().plainSent.get());
        assertEquals("chat:stats sees them", 2, engine.stats().plainSent());
        assertEquals("not part of the reliable counters", 0, engine.stats().messagesSent());
        assertTrue("no session was opened", engine.stats().peers().isEmpty());
    }

    @Test
    public void theOriginalsDatagramsReachTheListenersMarkedPlainAndAreNotAnswered() throws Exception {
        UdpTransportEngine engine = engine();
        OriginalClient bob = original();

        bob.send("bob: hi there", engine.localAddress());
        bob.send("PCfan: text that starts like our magic", engine.localAddress());
        Await.until("two plain messages", WAIT_MILLIS, () -> listener.messages.size() >= 2);

        IncomingMessage first = listener.messages.get(0);
        assertEquals(bob.address(), first.from());
        assertEquals("bob: hi there", first.text()); // the transport hands over the whole datagram
        assertTrue(first.plain());
        assertEquals("PCfan: text that starts like our magic", listener.messages.get(1).text());
        assertEquals(2, engine.counters().plainReceived.get());
        assertEquals("chat:stats sees them", 2, engine.stats().plainReceived());
        assertEquals(0, engine.stats().malformedDropped());
        assertEquals("no ACK for a plain datagram", 0, engine.counters().acksSent.get());
        assertEquals("plain messages are not reliable ones", 0, engine.stats().messagesReceived());
    }

    @Test
    public void aConversationBothWaysNextToReliableTraffic() throws Exception {
        UdpTransportEngine alice = engine();
        RecordingListener atCarol = new RecordingListener();
        UdpTransportEngine carol = Keepers.keepingAll(new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0),
                TransportSettings.defaults(), List.of(atCarol), new TestLogger().logger));
        toClose.add(carol);
        carol.start();
        OriginalClient bob = original();

        for (int i = 0; i < 20; i++) {
            assertEquals(DeliveryStatus.SENT, await(alice.sendPlain(bob.address(), "alice: ping " + i)).status());
            assertEquals("alice: ping " + i, bob.receive());
            bob.send("bob: pong " + i, alice.localAddress());
            assertEquals(DeliveryStatus.DELIVERED, await(alice.send(carol.localAddress(), "to carol " + i)).status());
        }
        Await.until("20 pongs", WAIT_MILLIS, () -> listener.messages.size() >= 20);
        for (int i = 0; i < 20; i++) {
            assertEquals("bob: pong " + i, listener.messages.get(i).text());
        }
        Await.until("20 messages at carol", WAIT_MILLIS, () -> atCarol.messages.size() >= 20);
        assertFalse(atCarol.messages.stream().anyMatch(IncomingMessage::plain));
    }

    @Test
    public void aTextTooLargeForOneDatagramFailsAndTheLargestFits() throws Exception {
        UdpTransportEngine engine = engine();
        OriginalClient bob = original();
        String prefix = "alice: ";
        String largest = prefix + "x".repeat(PlainDatagram.MAX_BYTES - prefix.length());

        DeliveryResult tooLarge = await(engine.sendPlain(bob.address(), largest + "y"));
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED,
                "message too large for a plain datagram: 65508 bytes (max 65507)"), tooLarge);
        assertEquals(DeliveryStatus.SENT, await(engine.sendPlain(bob.address(), largest)).status());
        assertEquals(65_507, bob.receiveBytes().length);
        assertEquals(1, log.count("WARN", "message too large for a plain datagram"));
    }

    @Test
    public void badAddressesAndAStoppedTransportFailWithoutThrowing() throws Exception {
        UdpTransportEngine engine = engine();
        assertEquals("invalid address 127.0.0.1:0: port must be 1..65535",
                await(engine.sendPlain(new PeerAddress("127.0.0.1", 0), "x")).reason());
        assertEquals("unknown host no-such-host.invalid",
                await(engine.sendPlain(new PeerAddress("no-such-host.invalid", 5000), "x")).reason());
        engine.close();
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "transport stopped"),
                await(engine.sendPlain(new PeerAddress("127.0.0.1", 5000), "x")));
    }
}
