package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.transport.udp.internal.UdpMessageTransport;

/**
 * The chat engine on the real UDP transport, talking to a client of the original application
 * written only from LEGACY-PROTOCOL.md: a plain {@link DatagramSocket} that sends
 * {@code NAME: text} datagrams and reads whatever arrives as trimmed text. The roster (a fake)
 * marks it legacy at its UDP address, as the roster server does for {@code login-NAME} clients.
 */
public class LegacyPeerChatTest {

    private static final long WAIT_MILLIS = 20_000;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> transportLog = new CopyOnWriteArrayList<>();
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private UdpMessageTransport transport;
    private DatagramSocket bob;
    private DatagramSocket carol;
    private DatagramSocket stranger;
    private ChatEngine alice;
    private final List<ChatEngine> engines = new ArrayList<>();

    private ChatEngine engine(FakeRosterClient roster) {
        ChatEngine engine = new ChatEngine(() -> roster, () -> transport, new MemoryStore(),
                new ChatListeners(List::of, (message, cause) -> warnings.add(message), Duration.ofSeconds(1)),
                (peer, text) -> text, Clock.systemUTC(), Duration.ofDays(7));
        engines.add(engine);
        return engine;
    }

    @Before
    public void setUp() throws Exception {
        transport = RealTransports.activated(transportLog);
        bob = socket();
        carol = socket();
        stranger = socket();
        PeerAddress me = transport.localAddress();
        FakeRosterClient roster = new FakeRosterClient().loggedInAs("alice")
                .with("alice", me.host(), me.port())
                .withLegacy("bob", "127.0.0.1", bob.getLocalPort())
                .with("carol", "127.0.0.1", carol.getLocalPort()); // one of ours: speaks the reliable protocol
        alice = engine(roster);
        // the whiteboard, as SCR would fill it: plain datagrams come to the chat core as a listener
        RealTransports.listenersOf(transport).add(message -> {
            if (message.plain()) {
                alice.plainReceived(message);
            }
        });
    }

    @After
    public void tearDown() throws Exception {
        for (DatagramSocket socket : sockets) {
            socket.close();
        }
        engines.forEach(ChatEngine::close);
        RealTransports.deactivate(transport);
    }

    @Test
    public void aConversationWithAnOriginalClient() throws Exception {
        DeliveryResult result = alice.send("bob", "hello").toCompletableFuture()
                .get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertEquals(new DeliveryResult(DeliveryStatus.SENT, ""), result);
        assertEquals("alice: hello", receive(bob));

        send(bob, "bob: hi there");
        awaitHistory("bob", 2);
        ChatMessage incoming = alice.history("bob", Long.MAX_VALUE, 2).get(1);
        assertEquals("bob", incoming.from());
        assertEquals("alice", incoming.to());
        assertEquals("hi there", incoming.text());

        List<ChatMessage> history = alice.history("bob", Long.MAX_VALUE, 10);
        assertEquals(List.of("hello", "hi there"), history.stream().map(ChatMessage::text).toList());
        assertEquals(DeliveryStatus.SENT, history.get(0).status());
    }

    @Test
    public void plainDatagramsFromAddressesThatAreNotLegacyPeersAreNotRecorded() throws Exception {
        send(stranger, "mallory: buy now");
        send(carol, "carol: a plain datagram from one of ours");
        send(stranger, "bob: pretending to be bob");
        byte[] binary = {(byte) 0xff, 0x00, 0x13, 0x37};
        sendBytes(stranger, binary);
        // Delivery is in arrival order on one thread: once bob's message is in, the others were handled.
        send(bob, "bob: the real bob");
        awaitHistory("bob", 1);

        assertEquals(List.of("the real bob"), alice.history("bob", Long.MAX_VALUE, 10).stream().map(ChatMessage::text).toList());
        assertEquals(List.of(), alice.history("carol", Long.MAX_VALUE, 10));
        assertEquals(List.of(), alice.history("mallory", Long.MAX_VALUE, 10));
        assertEquals(List.of(), alice.history("127.0.0.1:" + stranger.getLocalPort(), Long.MAX_VALUE, 10));
        assertEquals(3, alice.plainIgnored());
        assertEquals("one warning, the rest rate-limited", 1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).startsWith("ignored a plain datagram from 127.0.0.1:"
                + stranger.getLocalPort()));
        assertEquals("binary garbage is malformed, not a message", 1, transport.stats().malformedDropped());
    }

    @Test
    public void ourOwnPeersStillGetAcknowledgedMessages() throws Exception {
        UdpMessageTransport other = RealTransports.activated(transportLog);
        try {
            // dan's transport acknowledges what its keeper kept: here, everything at once
            RealTransports.bindKeeper(other, message -> CompletableFuture.completedFuture(null));
            FakeRosterClient roster = new FakeRosterClient().loggedInAs("alice")
                    .with("dan", other.localAddress().host(), other.localAddress().port());
            ChatEngine chat = engine(roster);
            assertEquals(DeliveryStatus.DELIVERED, chat.send("dan", "hi").toCompletableFuture()
                    .get(WAIT_MILLIS, TimeUnit.MILLISECONDS).status());
        } finally {
            RealTransports.deactivate(other);
        }
    }

    // --- the original client's side -------------------------------------------------------------

    private DatagramSocket socket() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout((int) WAIT_MILLIS); // bounds a broken test; nothing asserts on time
        sockets.add(socket);
        return socket;
    }

    private void send(DatagramSocket from, String line) throws IOException {
        sendBytes(from, line.getBytes(StandardCharsets.UTF_8));
    }

    private void sendBytes(DatagramSocket from, byte[] bytes) throws IOException {
        PeerAddress to = transport.localAddress();
        from.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(to.host()), to.port()));
    }

    /** As the original reads: a 65,536-byte buffer, the text trimmed. */
    private static String receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        socket.receive(packet);
        return new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8).trim();
    }

    private void awaitHistory(String peer, int size) throws InterruptedException {
        await("history with " + peer + " of " + size, () -> alice.history(peer, Long.MAX_VALUE, 100).size() >= size);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

}
