package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.chat.ChatListener;
import peerchat.api.chat.UnknownUserException;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.store.StoredMessage;
import peerchat.api.transport.MessageTransport;

public class ChatEngineTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:15:30Z");
    private static final DeliveryResult DELIVERED = new DeliveryResult(DeliveryStatus.DELIVERED, "");
    private static final PeerAddress BOB = new PeerAddress("10.0.0.2", 40001);

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
    private final TestClock clock = new TestClock(NOW);
    private final MemoryStore store = new MemoryStore();
    private FakeRosterClient roster;
    private volatile MessageTransport transport;
    private FakeTransport fake;
    private RecordingListener listener;
    private BinaryOperator<String> interceptors = (peer, text) -> text;
    private final List<ChatEngine> engines = new ArrayList<>();
    private ChatEngine engine;

    @Before
    public void setUp() {
        roster = new FakeRosterClient().loggedInAs("alice")
                .with("alice", "127.0.0.1", 40000)
                .with("Bob", "10.0.0.2", 40001)
                .withLegacy("dave", "10.0.0.4", 6004);
        fake = new FakeTransport();
        transport = fake;
        listener = new RecordingListener();
        listeners.add(listener);
        engine = engine(Duration.ofMillis(500));
    }

    @After
    public void tearDown() {
        engines.forEach(ChatEngine::close);
    }

    private ChatEngine engine(Duration listenerTimeout) {
        ChatEngine made = new ChatEngine(() -> roster, () -> transport, store,
                new ChatListeners(() -> listeners, (message, cause) -> warnings.add(message), listenerTimeout),
                (peer, text) -> interceptors.apply(peer, text), clock, Duration.ofDays(7));
        engines.add(made);
        return made;
    }

    private FakeTransport.Sent awaitSent(int count) {
        Await.until(count + " sends", () -> fake.sent.size() >= count);
        return fake.sent.get(count - 1);
    }

    private static DeliveryResult outcome(CompletionStage<DeliveryResult> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private void idle() throws InterruptedException {
        assertTrue(engine.awaitChatThread(Duration.ofSeconds(20)));
    }

    // --- sending ----------------------------------------------------------------------------------

    @Test
    public void sendToSomeoneNeitherOnlineNorAContactThrowsAndStoresNothing() {
        UnknownUserException e = assertThrows(UnknownUserException.class, () -> engine.send("carol", "hi"));
        assertEquals("unknown user: carol", e.getMessage());
        assertTrue(store.all().isEmpty());
        assertTrue(fake.sent.isEmpty());
    }

    @Test
    public void sendWhenNotLoggedInSaysSo() {
        roster.logout();
        assertEquals("not logged in",
                assertThrows(IllegalStateException.class, () -> engine.send("Bob", "hi")).getMessage());
    }

    @Test
    public void whileLoggedOutAMessageToAContactIsQueuedAndGoesOutAfterTheNextLogin() throws Exception {
        engine.rosterChanged(roster.roster(), null); // logged in as alice: bob becomes a contact
        idle();
        roster.logout(); // the roster client is being replaced, say

        assertEquals(new DeliveryResult(DeliveryStatus.QUEUED, "not logged in"), outcome(engine.send("bob", "hi")));
        assertEquals("stranger names are still refused", "not logged in",
                assertThrows(IllegalStateException.class, () -> engine.send("carol", "hi")).getMessage());
        assertEquals("alice", store.all().get(0).from());

        roster.login("alice", null);
        engine.rosterChanged(roster.roster(), null);
        assertEquals("hi", awaitSent(1).text());
    }

    @Test
    public void emptyTextOrNameIsRefused() {
        assertEquals("message text is empty",
                assertThrows(IllegalArgumentException.class, () -> engine.send("Bob", "")).getMessage());
        assertEquals("recipient name is empty",
                assertThrows(IllegalArgumentException.class, () -> engine.send(" ", "hi")).getMessage());
    }

    @Test
    public void aMessageIsStoredBeforeItIsSentAndDeliveredUpdatesTheSameEntry() throws Exception {
        CompletionStage<DeliveryResult> result = engine.send("bOB", "hello");

        FakeTransport.Sent sent = awaitSent(1);
        StoredMessage stored = store.all().get(0);
        assertEquals("stored before the transport saw it", DeliveryStatus.SENDING, stored.state());
        assertEquals(stored.id(), sent.id());
        assertEquals(BOB, sent.to());
        assertEquals("hello", sent.text());
        assertEquals("Bob", stored.peer());
        assertFalse(result.toCompletableFuture().isDone());

        clock.advance(Duration.ofSeconds(2));
        sent.outcome().complete(DELIVERED);

        assertEquals(DELIVERED, outcome(result));
        idle();
        assertEquals(DeliveryStatus.DELIVERED, store.all().get(0).state());
        assertEquals(NOW.plusSeconds(2), store.all().get(0).delivered());
        Await.until("listener saw both states", () -> listener.seen.size() == 2);
        assertEquals(DeliveryStatus.SENDING, listener.seen.get(0).status());
        assertEquals(DeliveryStatus.DELIVERED, listener.seen.get(1).status());
        assertEquals(listener.seen.get(0).id(), listener.seen.get(1).id());
        assertEquals(List.of(listener.seen.get(1)), engine.history("bob", Long.MAX_VALUE, 10));
    }

    @Test
    public void notAcknowledgedInTimeGoesBackToTheOutboxAndIsResentWithTheSameId() throws Exception {
        CompletionStage<DeliveryResult> result = engine.send("Bob", "hello");
        FakeTransport.Sent first = awaitSent(1);
        first.outcome().complete(new DeliveryResult(DeliveryStatus.FAILED, "timed out after 5 tries"));

        assertEquals(new DeliveryResult(DeliveryStatus.QUEUED, "not acknowledged: timed out after 5 tries"),
                outcome(result));
        idle();
        assertEquals(DeliveryStatus.QUEUED, store.all().get(0).state());

        engine.flushOutbox(); // the retry timer, or Bob seen again
        FakeTransport.Sent again = awaitSent(2);
        assertEquals(first.id(), again.id());
        again.outcome().complete(DELIVERED);
        Await.until("delivered on the second try",
                () -> store.all().get(0).state() == DeliveryStatus.DELIVERED);
        assertEquals(1, store.all().size());
    }

    @Test
    public void aNewMessageNeverOvertakesAnOlderOneThatMayStillFail() throws Exception {
        engine.send("Bob", "first");
        FakeTransport.Sent first = awaitSent(1);
        // Bob's transport came back on another port: the first message is on its way to the old one
        roster.without("Bob").with("Bob", "10.0.0.2", 40009);
        CompletionStage<DeliveryResult> second = engine.send("Bob", "second");
        idle();
        assertEquals("the second waits behind the first", 1, fake.sent.size());

        first.outcome().complete(new DeliveryResult(DeliveryStatus.FAILED, "peer unreachable"));
        idle();
        engine.flushOutbox(); // the retry
        awaitSent(3);
        assertEquals(List.of("first", "first", "second"), fake.sent.stream().map(FakeTransport.Sent::text).toList());
        assertEquals(new PeerAddress("10.0.0.2", 40009), fake.sent.get(1).to());
        assertEquals(first.id(), fake.sent.get(1).id());
        fake.sent.get(1).outcome().complete(DELIVERED);
        fake.sent.get(2).outcome().complete(DELIVERED);
        assertEquals(DELIVERED, outcome(second));
    }

    @Test
    public void aMessageArrivingWhileTheRosterIsAwayIsFiledUnderTheNameLastSeenAtItsAddress() throws Exception {
        engine.rosterChanged(roster.roster(), null);
        roster.logout(); // the roster client is being replaced: no entries
        engine.keep(new IncomingMessage(BOB, "still me", NOW, false, "x")).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertEquals("Bob", store.all().get(0).peer());
    }

    @Test
    public void aKnownContactWhoIsOfflineGetsTheMessagesQueuedAndInOrderWhenSeenAgain() throws Exception {
        engine.keep(new IncomingMessage(BOB, "hi alice", NOW, false, "m-1")).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        roster.without("Bob");

        DeliveryResult first = outcome(engine.send("bob", "are you there?"));
        DeliveryResult second = outcome(engine.send("Bob", "second"));

        assertEquals(new DeliveryResult(DeliveryStatus.QUEUED, "offline"), first);
        assertEquals(new DeliveryResult(DeliveryStatus.QUEUED, "offline"), second);
        assertTrue(fake.sent.isEmpty());

        roster.with("Bob", "10.0.0.2", 40001);
        engine.rosterChanged(roster.roster(), null);

        awaitSent(2);
        assertEquals(List.of("are you there?", "second"), fake.sent.stream().map(FakeTransport.Sent::text).toList());
        fake.sent.forEach(sent -> sent.outcome().complete(DELIVERED));
        Await.until("both delivered", () -> store.outbox().isEmpty());
    }

    @Test
    public void queuedMessagesExpireAfterTheConfiguredTime() throws Exception {
        store.seen("Carol", NOW.minusSeconds(60));
        assertEquals(DeliveryStatus.QUEUED, outcome(engine.send("carol", "see you")).status());

        clock.advance(Duration.ofDays(6));
        engine.flushOutbox();
        idle();
        assertEquals(DeliveryStatus.QUEUED, store.all().get(0).state());

        clock.advance(Duration.ofDays(1).plusSeconds(1));
        engine.flushOutbox();
        idle();
        assertEquals(DeliveryStatus.FAILED, store.all().get(0).state());
        assertEquals("expired", store.all().get(0).reason());
    }

    @Test
    public void withoutTransportTheMessageWaitsAndGoesOutWhenOneArrives() throws Exception {
        transport = null;
        assertEquals(new DeliveryResult(DeliveryStatus.QUEUED, "transport not available"),
                outcome(engine.send("Bob", "hello")));

        transport = fake;
        engine.flushOutbox();

        assertEquals("hello", awaitSent(1).text());
    }

    @Test
    public void aStoreThatCannotWriteFailsTheSendAndSendsNothing() throws Exception {
        store.failWrites = "disk full";

        assertEquals(new DeliveryResult(DeliveryStatus.FAILED, "cannot store messages: disk full"),
                outcome(engine.send("Bob", "hello")));
        assertTrue(fake.sent.isEmpty());
        assertEquals("disk full", engine.storeFault().orElseThrow());
    }

    @Test
    public void aMessageTooLargeFailsForGood() throws Exception {
        DeliveryResult result = outcome(engine.send("Bob", "x".repeat(ChatEngine.MAX_MESSAGE_BYTES + 1)));
        assertEquals(DeliveryStatus.FAILED, result.status());
        assertTrue(result.reason(), result.reason().startsWith("message too large"));
        assertTrue(store.all().isEmpty());
    }

    // --- receiving --------------------------------------------------------------------------------

    @Test
    public void anIncomingMessageIsKeptOnlyOnceStoredUnderTheRosterName() throws Exception {
        CompletableFuture<?> kept = engine.keep(new IncomingMessage(BOB, "hi alice", NOW, false, "m-1"))
                .toCompletableFuture();
        kept.get(20, TimeUnit.SECONDS);

        StoredMessage stored = store.all().get(0);
        assertEquals("Bob", stored.from());
        assertEquals("alice", stored.to());
        assertEquals("m-1", stored.id());
        assertFalse(stored.outgoing());
        assertEquals(DeliveryStatus.DELIVERED, stored.state());
        Await.until("the listener saw it", () -> listener.seen.size() == 1);
        assertEquals("hi alice", listener.seen.get(0).text());
    }

    @Test
    public void aResentMessageIsKeptAgainButStoredAndShownOnce() throws Exception {
        engine.keep(new IncomingMessage(BOB, "once", NOW, false, "m-7")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        engine.keep(new IncomingMessage(BOB, "once", NOW, false, "m-7")).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(1, store.all().size());
        assertEquals(1, engine.duplicates());
        idle();
        listenersIdle();
        assertEquals(1, listener.seen.size());
    }

    private void listenersIdle() throws InterruptedException {
        // the engine's listener thread: wait for it through a marker message
        CountDownLatch marker = new CountDownLatch(1);
        listeners.add(message -> {
            if ("marker".equals(message.text())) {
                marker.countDown();
            }
        });
        engine.keep(new IncomingMessage(new PeerAddress("10.9.9.9", 1), "marker", NOW, false, "marker"));
        assertTrue(marker.await(20, TimeUnit.SECONDS));
        listener.seen.removeIf(message -> "marker".equals(message.text()));
    }

    @Test
    public void whileTheStoreCannotWriteNothingIsKeptAndItIsKeptOnceTheFaultClears() throws Exception {
        store.failWrites = "disk full";
        CompletableFuture<?> refused = engine.keep(new IncomingMessage(BOB, "hi", NOW, false, "m-1"))
                .toCompletableFuture();
        Await.until("refused", refused::isDone);
        assertTrue(refused.isCompletedExceptionally());
        assertEquals("disk full", engine.storeFault().orElseThrow());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("cannot store messages: disk full")));

        store.failWrites = null;
        engine.keep(new IncomingMessage(BOB, "hi", NOW, false, "m-1")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(1, store.all().size());
        assertTrue(engine.storeFault().isEmpty());
    }

    @Test
    public void aBurstOfMessagesIsStoredInFewerCommitsThanMessages() throws Exception {
        List<CompletableFuture<?>> kept = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            kept.add(engine.keep(new IncomingMessage(BOB, "m" + i, NOW, false, "id-" + i)).toCompletableFuture());
        }
        CompletableFuture.allOf(kept.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertEquals(2_000, store.all().size());
        assertTrue("commits: " + store.commits, store.commits < 2_000);
        for (int i = 0; i < 2_000; i++) {
            assertEquals("in arrival order", "m" + i, store.all().get(i).text());
        }
    }

    @Test
    public void aMessageAnInterceptorStopsIsAcknowledgedButNotStored() throws Exception {
        interceptors = (peer, text) -> text.contains("spam") ? null : text.toUpperCase();
        engine.keep(new IncomingMessage(BOB, "buy spam", NOW, false, "a")).toCompletableFuture().get(20, TimeUnit.SECONDS);
        engine.keep(new IncomingMessage(BOB, "hello", NOW, false, "b")).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertEquals(List.of("HELLO"), store.all().stream().map(StoredMessage::text).toList());
    }

    @Test
    public void aBlockingListenerIsSkippedNamedAndHoldsUpNeitherStoringNorSending() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        listeners.add(0, message -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            for (int i = 0; i < 5; i++) {
                engine.keep(new IncomingMessage(BOB, "m" + i, NOW, false, "id-" + i)).toCompletableFuture()
                        .get(20, TimeUnit.SECONDS);
            }
            CompletionStage<DeliveryResult> sent = engine.send("Bob", "still going");
            awaitSent(1).outcome().complete(DELIVERED);
            assertEquals(DELIVERED, outcome(sent));
            Await.until("the other listener got everything", () -> listener.seen.size() >= 7);
            assertTrue(warnings.toString(), warnings.stream().anyMatch(w -> w.startsWith("chat listener ")
                    && w.contains(ChatEngineTest.class.getName()) && w.contains("did not answer within 500 ms")));
        } finally {
            release.countDown();
        }
    }

    @Test
    public void incomingFromAnAddressNotInTheRosterIsNamedByItsAddress() throws Exception {
        engine.keep(new IncomingMessage(new PeerAddress("10.9.9.9", 7000), "who am I", NOW)).toCompletableFuture()
                .get(20, TimeUnit.SECONDS);
        assertEquals("10.9.9.9:7000", engine.history("10.9.9.9:7000", Long.MAX_VALUE, 1).get(0).from());
    }

    // --- reading ----------------------------------------------------------------------------------

    @Test
    public void historyPagesBackOldestFirst() throws Exception {
        for (int i = 1; i <= 10; i++) {
            engine.keep(new IncomingMessage(BOB, "in " + i, NOW, false, "id-" + i)).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS);
        }
        List<ChatMessage> last = engine.history("BOB", Long.MAX_VALUE, 3);
        assertEquals(List.of("in 8", "in 9", "in 10"), texts(last));
        assertEquals(List.of("in 6", "in 7"), texts(engine.history("bob", last.get(0).id(), 2)));
        assertEquals(List.of(), engine.history("bob", Long.MAX_VALUE, 0));
        assertThrows(IllegalArgumentException.class, () -> engine.history("bob", Long.MAX_VALUE, -1));
    }

    @Test
    public void searchFindsTextIgnoringCaseNewestFirst() throws Exception {
        for (String text : List.of("Lunch at noon?", "no", "LUNCH is late")) {
            engine.keep(new IncomingMessage(BOB, text, NOW, false, text)).toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        assertEquals(List.of("LUNCH is late", "Lunch at noon?"), texts(engine.search("lunch", null, 10)));
        assertEquals(List.of(), texts(engine.search("lunch", "carol", 10)));
        assertThrows(IllegalArgumentException.class, () -> engine.search("", null, 10));
    }

    @Test
    public void contactsListEveryoneSeenOrChattedWithAndWhoIsOnlineNow() throws Exception {
        engine.rosterChanged(roster.roster(), null);
        idle();
        store.seen("Carol", NOW.minusSeconds(3600));

        List<Contact> contacts = engine.contacts();

        assertEquals(List.of("Bob", "Carol", "dave"), contacts.stream().map(Contact::name).toList());
        assertEquals(Presence.ONLINE, contacts.get(0).presence());
        assertEquals(null, contacts.get(1).presence());
        assertEquals(NOW.minusSeconds(3600), contacts.get(1).lastSeen());
    }

    @Test
    public void theOldHistoryIsImportedWithCutOffSendsAsFailed() throws Exception {
        engine.importHistory(List.of(
                new ChatMessage(1, NOW, "alice", "Bob", "old out", true, DeliveryStatus.DELIVERED, ""),
                new ChatMessage(2, NOW, "Bob", "alice", "old in", false, DeliveryStatus.DELIVERED, ""),
                new ChatMessage(3, NOW, "alice", "Bob", "cut off", true, DeliveryStatus.SENDING, "")));
        engine.importHistory(List.of(
                new ChatMessage(1, NOW, "alice", "Bob", "old out", true, DeliveryStatus.DELIVERED, "")));

        List<ChatMessage> history = engine.history("bob", Long.MAX_VALUE, 10);
        assertEquals(List.of("old out", "old in", "cut off"), texts(history));
        assertEquals(DeliveryStatus.FAILED, history.get(2).status());
        assertEquals(ChatEngine.CUT_OFF, history.get(2).reason());
        assertTrue("nothing imported goes out again", store.outbox().isEmpty());
    }

    // --- clients of the original application ------------------------------------------------------

    @Test
    public void sendToALegacyPeerIsAPlainLineWithMyNameAndEndsSent() throws Exception {
        CompletionStage<DeliveryResult> result = engine.send("Dave", "hello");

        FakeTransport.Sent sent = awaitSent(1);
        assertTrue(sent.plain());
        assertEquals(new PeerAddress("10.0.0.4", 6004), sent.to());
        assertEquals("alice: hello", sent.text());
        sent.outcome().complete(new DeliveryResult(DeliveryStatus.SENT, ""));

        assertEquals(new DeliveryResult(DeliveryStatus.SENT, ""), outcome(result));
        idle();
        assertEquals(DeliveryStatus.SENT, store.all().get(0).state());
    }

    @Test
    public void aPlainDatagramFromALegacyPeerIsRecordedWithoutItsNameAndTrimmed() throws Exception {
        engine.plainReceived(new IncomingMessage(new PeerAddress("10.0.0.4", 6004), " dave:  hi there \n", NOW, true));
        idle();
        ChatMessage incoming = engine.history("dave", Long.MAX_VALUE, 1).get(0);
        assertEquals("dave", incoming.from());
        assertEquals("hi there", incoming.text());
        assertEquals(0, engine.plainIgnored());
    }

    @Test
    public void plainDatagramsFromAnywhereElseAreIgnoredCountedAndWarnedAboutOnce() throws Exception {
        engine.plainReceived(new IncomingMessage(new PeerAddress("10.9.9.9", 7000), "spam", NOW, true));
        engine.plainReceived(new IncomingMessage(BOB, "Bob: forged", NOW, true));
        engine.plainReceived(new IncomingMessage(new PeerAddress("10.0.0.4", 6004), "dave:   ", NOW, true));
        idle();
        assertEquals(3, engine.plainIgnored());
        assertTrue(store.all().isEmpty());
        assertEquals(List.of("ignored a plain datagram from 10.9.9.9:7000: no legacy peer in the roster has that "
                + "address"), warnings);
    }

    @Test
    public void sendsCutOffByAStopGoOutAgainFromTheNextEngine() throws Exception {
        engine.send("Bob", "in flight");
        FakeTransport.Sent first = awaitSent(1);
        engine.close();

        ChatEngine next = engine(Duration.ofMillis(500));
        next.flushOutbox();

        FakeTransport.Sent again = awaitSent(2);
        assertEquals(first.id(), again.id());
        assertNotNull(again.id());
    }

    static List<String> texts(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::text).toList();
    }
}
