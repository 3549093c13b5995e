package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.Before;
import org.junit.Test;

import peerchat.api.chat.ChatListener;
import peerchat.api.chat.UnknownUserException;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.roster.RosterClient;
import peerchat.api.transport.MessageTransport;

public class ChatEngineTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:15:30Z");
    private static final DeliveryResult DELIVERED = new DeliveryResult(DeliveryStatus.DELIVERED, "");

    private final List<String> warnings = new ArrayList<>();
    private FakeRosterClient roster;
    private FakeTransport transport;
    private RecordingListener listener;
    private List<ChatListener> listeners;
    private ChatEngine engine;

    @Before
    public void setUp() {
        roster = new FakeRosterClient().loggedInAs("alice")
                .with("alice", "127.0.0.1", 40000)
                .with("Bob", "10.0.0.2", 40001)
                .withLegacy("dave", "10.0.0.4", 6004);
        transport = new FakeTransport();
        listener = new RecordingListener();
        listeners = new ArrayList<>(List.of(listener));
        engine = engine(roster, transport, 1000);
    }

    private ChatEngine engine(RosterClient roster, MessageTransport transport, int perPeer) {
        return new ChatEngine(() -> roster, () -> transport, new ChatListeners(() -> listeners, this::warn),
                HistoryStore.NONE, Clock.fixed(NOW, ZoneOffset.UTC), perPeer);
    }

    private void warn(String message, Throwable cause) {
        warnings.add(message);
    }

    @Test
    public void sendToUnknownUserThrowsAndRecordsNothing() {
        UnknownUserException e = assertThrows(UnknownUserException.class, () -> engine.send("carol", "hi"));
        assertEquals("unknown user: carol", e.getMessage());
        assertTrue(transport.sent.isEmpty());
        assertTrue(listener.seen.isEmpty());
        assertEquals(List.of(), engine.history("carol", 10));
    }

    @Test
    public void sendWhenNotLoggedInSaysSo() {
        roster.logout();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.send("Bob", "hi"));
        assertEquals("not logged in", e.getMessage());
        assertTrue(transport.sent.isEmpty());
    }

    @Test
    public void sendWithoutRosterClientSaysNotLoggedIn() {
        ChatEngine withoutRoster = engine(null, transport, 1000);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> withoutRoster.send("Bob", "hi"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("not logged in"));
    }

    @Test
    public void emptyTextOrNameIsRefused() {
        assertEquals("message text is empty",
                assertThrows(IllegalArgumentException.class, () -> engine.send("Bob", "")).getMessage());
        assertEquals("recipient name is empty",
                assertThrows(IllegalArgumentException.class, () -> engine.send(" ", "hi")).getMessage());
    }

    @Test
    public void sendGoesToTheRosterAddressUnderTheRosterSpelling() {
        engine.send("bOB", "hello");

        assertEquals(1, transport.sent.size());
        assertEquals(new PeerAddress("10.0.0.2", 40001), transport.last().to());
        assertEquals("hello", transport.last().text());
        ChatMessage sending = listener.seen.get(0);
        assertEquals("alice", sending.from());
        assertEquals("Bob", sending.to());
        assertTrue(sending.outgoing());
        assertEquals(NOW, sending.time());
    }

    @Test
    public void listenerSeesSendingThenDeliveredWithTheSameId() throws Exception {
        CompletionStage<DeliveryResult> result = engine.send("Bob", "hello");

        assertEquals(1, listener.seen.size());
        assertEquals(DeliveryStatus.SENDING, listener.seen.get(0).status());
        assertFalse(result.toCompletableFuture().isDone());
        assertEquals(DeliveryStatus.SENDING, engine.history("bob", 1).get(0).status());

        transport.last().outcome().complete(DELIVERED);

        assertEquals(DELIVERED, result.toCompletableFuture().getNow(null));
        assertEquals(2, listener.seen.size());
        ChatMessage delivered = listener.seen.get(1);
        assertEquals(DeliveryStatus.DELIVERED, delivered.status());
        assertEquals(listener.seen.get(0).id(), delivered.id());
        assertEquals(List.of(delivered), engine.history("Bob", 10));
    }

    @Test
    public void failureReasonReachesCallerListenerAndHistory() {
        CompletionStage<DeliveryResult> result = engine.send("Bob", "hello");
        transport.last().outcome().complete(new DeliveryResult(DeliveryStatus.FAILED, "timed out after 5 tries"));

        DeliveryResult outcome = result.toCompletableFuture().getNow(null);
        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "timed out after 5 tries"), outcome);
        assertEquals("timed out after 5 tries", listener.seen.get(1).reason());
        ChatMessage stored = engine.history("Bob", 1).get(0);
        assertEquals(DeliveryStatus.FAILED, stored.status());
        assertEquals("timed out after 5 tries", stored.reason());
    }

    @Test
    public void exceptionalTransportStageBecomesFailedWithItsMessage() {
        CompletionStage<DeliveryResult> result = engine.send("Bob", "hello");
        transport.last().outcome().completeExceptionally(new IllegalStateException("socket closed"));

        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "socket closed"),
                result.toCompletableFuture().getNow(null));
    }

    @Test
    public void transportThrowingBecomesFailed() {
        MessageTransport throwing = new FakeTransport() {
            @Override
            public CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
                throw new IllegalArgumentException("message too large");
            }
        };
        ChatEngine chat = engine(roster, throwing, 1000);

        DeliveryResult outcome = chat.send("Bob", "hello").toCompletableFuture().getNow(null);

        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "message too large"), outcome);
        assertEquals(DeliveryStatus.FAILED, chat.history("Bob", 1).get(0).status());
    }

    @Test
    public void missingTransportFailsTheSendWithAClearReason() {
        ChatEngine withoutTransport = engine(roster, null, 1000);

        DeliveryResult outcome = withoutTransport.send("Bob", "hello").toCompletableFuture().getNow(null);

        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "transport not available"), outcome);
        List<ChatMessage> history = withoutTransport.history("bob", 5);
        assertEquals(1, history.size());
        assertEquals("transport not available", history.get(0).reason());
    }

    @Test
    public void incomingIsRecordedUnderTheRosterNameAndAddressedToMe() {
        Instant received = Instant.parse("2026-11-02T10:16:00Z");
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.2", 40001), "hi alice", received));

        List<ChatMessage> history = engine.history("bob", 10);
        assertEquals(1, history.size());
        ChatMessage incoming = history.get(0);
        assertEquals("Bob", incoming.from());
        assertEquals("alice", incoming.to());
        assertEquals("hi alice", incoming.text());
        assertFalse(incoming.outgoing());
        assertEquals(DeliveryStatus.DELIVERED, incoming.status());
        assertEquals(received, incoming.time());
        assertEquals(List.of(incoming), listener.seen);
    }

    @Test
    public void incomingFromAnAddressNotInTheRosterIsNamedByItsAddress() {
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.9.9.9", 7000), "who am I", NOW));

        assertEquals("10.9.9.9:7000", engine.history("10.9.9.9:7000", 1).get(0).from());
    }

    @Test
    public void historyIsPerPeerOldestFirstAndLimited() {
        for (int i = 1; i <= 5; i++) {
            engine.send("Bob", "out " + i);
            transport.last().outcome().complete(DELIVERED);
            engine.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.2", 40001), "in " + i, NOW));
        }
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.9.9.9", 7000), "elsewhere", NOW));

        assertEquals(List.of("in 4", "out 5", "in 5"), texts(engine.history("BOB", 3)));
        assertEquals(10, engine.history("bob", 100).size());
        assertEquals(List.of(), engine.history("bob", 0));
        assertEquals(List.of(), engine.history("nobody", 5));
        List<ChatMessage> all = engine.history("bob", 100);
        for (int i = 1; i < all.size(); i++) {
            assertTrue("ids increase", all.get(i).id() > all.get(i - 1).id());
        }
    }

    @Test
    public void negativeHistoryLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> engine.history("bob", -1));
    }

    @Test
    public void memoryKeepsOnlyTheLastMessagesPerPeer() {
        ChatEngine small = engine(roster, transport, 3);
        for (int i = 1; i <= 5; i++) {
            small.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.2", 40001), "in " + i, NOW));
        }
        assertEquals(List.of("in 3", "in 4", "in 5"), texts(small.history("bob", 10)));
    }

    @Test
    public void aFailingListenerDoesNotStopTheOthers() {
        listeners.add(0, message -> {
            throw new IllegalStateException("listener bug");
        });
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.2", 40001), "hi", NOW));

        assertEquals(1, listener.seen.size());
        assertEquals(1, warnings.size());
    }

    @Test
    public void sentWithoutReasonIsStoredWithAnEmptyReason() {
        CompletableFuture<DeliveryResult> result = engine.send("Bob", "hello").toCompletableFuture();
        transport.last().outcome().complete(new DeliveryResult(DeliveryStatus.SENT, null));

        assertEquals(new DeliveryResult(DeliveryStatus.SENT, ""), result.getNow(null));
        assertEquals(DeliveryStatus.SENT, engine.history("Bob", 1).get(0).status());
    }

    // --- clients of the original application ----------------------------------------------------

    @Test
    public void sendToALegacyPeerIsAPlainLineWithMyNameAndEndsSent() {
        CompletableFuture<DeliveryResult> result = engine.send("Dave", "hello").toCompletableFuture();

        FakeTransport.Sent sent = transport.last();
        assertTrue(sent.plain());
        assertEquals(new PeerAddress("10.0.0.4", 6004), sent.to());
        assertEquals("alice: hello", sent.text());
        sent.outcome().complete(new DeliveryResult(DeliveryStatus.SENT, ""));

        assertEquals(new DeliveryResult(DeliveryStatus.SENT, ""), result.getNow(null));
        ChatMessage stored = engine.history("dave", 1).get(0);
        assertEquals("hello", stored.text());
        assertEquals("dave", stored.to());
        assertEquals(DeliveryStatus.SENT, stored.status());
        assertFalse("our own peers still get the reliable protocol", sendPlainTo("Bob"));
    }

    private boolean sendPlainTo(String name) {
        engine.send(name, "x");
        return transport.last().plain();
    }

    @Test
    public void aPlainDatagramFromALegacyPeerIsRecordedWithoutItsNameAndTrimmed() {
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.4", 6004), " dave:  hi there \n", NOW,
                true));

        ChatMessage incoming = engine.history("dave", 1).get(0);
        assertEquals("dave", incoming.from());
        assertEquals("alice", incoming.to());
        assertEquals("hi there", incoming.text());
        assertEquals(DeliveryStatus.DELIVERED, incoming.status());
        assertEquals(0, engine.plainIgnored());
    }

    @Test
    public void plainDatagramsFromAnywhereElseAreIgnoredCountedAndWarnedAboutOnce() {
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.9.9.9", 7000), "spam", NOW, true));
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.2", 40001), "Bob: forged", NOW, true));
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.4", 6004), "dave:   ", NOW, true));

        assertEquals(3, engine.plainIgnored());
        assertTrue(listener.seen.isEmpty());
        assertEquals(List.of(), engine.history("10.9.9.9:7000", 10));
        assertEquals(List.of(), engine.history("bob", 10));
        assertEquals(List.of(), engine.history("dave", 10));
        assertEquals(List.of("ignored a plain datagram from 10.9.9.9:7000: no legacy peer in the roster has that "
                + "address"), warnings);
    }

    @Test
    public void aReliableMessageFromALegacyPeersAddressIsTakenAsItIs() {
        engine.messageReceived(new IncomingMessage(new PeerAddress("10.0.0.4", 6004), "dave: as is", NOW));
        assertEquals("dave: as is", engine.history("dave", 1).get(0).text());
    }

    static List<String> texts(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::text).toList();
    }
}
