package peerchat.store.sqlite.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static peerchat.store.sqlite.internal.Messages.incoming;
import static peerchat.store.sqlite.internal.Messages.outgoing;
import static peerchat.store.sqlite.internal.Messages.withSeq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.store.StateChange;
import peerchat.api.store.StoreException;
import peerchat.api.store.StoredContact;
import peerchat.api.store.StoredMessage;

public class SqliteMessageStoreTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path file;
    private SqliteMessageStore store;

    @Before
    public void open() throws Exception {
        file = folder.getRoot().toPath().resolve("store").resolve("messages.db");
        store = SqliteMessageStore.open(StoreSettings.of(file));
    }

    @After
    public void close() {
        store.close();
    }

    @Test
    public void addAssignsIncreasingSeqsAndReturnsTheStoredMessages() throws Exception {
        StoredMessage a = outgoing("m1", "bob", "hello", DeliveryStatus.SENDING);
        StoredMessage b = incoming("m1", "bob", "hi there");
        List<StoredMessage> stored = store.add(List.of(a, b));
        assertEquals(2, stored.size());
        assertTrue(stored.get(0).seq() > 0);
        assertTrue(stored.get(1).seq() > stored.get(0).seq());
        assertEquals(withSeq(a, stored.get(0).seq()), stored.get(0));
        assertEquals(withSeq(b, stored.get(1).seq()), stored.get(1));
        assertEquals(Optional.of(stored.get(1)), store.get(stored.get(1).seq()));
        assertEquals(Optional.empty(), store.get(12345));
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    public void aDuplicateIsNotStoredAgainAndTheFirstCopyIsReturned() throws Exception {
        StoredMessage first = store.add(List.of(incoming("x", "Bob", "one"))).get(0);
        // same peer (other case), direction and id, other text: the stored copy wins
        List<StoredMessage> again = store.add(List.of(incoming("x", "BOB", "changed"), incoming("y", "bob", "two")));
        assertEquals(first, again.get(0));
        assertEquals("two", again.get(1).text());
        // same id in the other direction is another message
        StoredMessage outgoingX = store.add(List.of(outgoing("x", "bob", "mine", DeliveryStatus.QUEUED))).get(0);
        assertNotEquals(first.seq(), outgoingX.seq());
        // twice in one call
        List<StoredMessage> twice = store.add(List.of(incoming("z", "bob", "a"), incoming("z", "bob", "b")));
        assertEquals(twice.get(0), twice.get(1));
        assertEquals(4, store.count("bob"));
    }

    @Test
    public void messagesSurviveCloseAndReopen() throws Exception {
        List<StoredMessage> stored = store.add(List.of(incoming("a", "bob", "first"), incoming("b", "bob", "second")));
        store.seen("bob", Instant.ofEpochMilli(42));
        store.close();
        store = SqliteMessageStore.open(StoreSettings.of(file));
        assertEquals(stored, store.conversation("bob", Long.MAX_VALUE, 10));
        StoredMessage third = store.add(List.of(incoming("c", "bob", "third"))).get(0);
        assertTrue(third.seq() > stored.get(1).seq());
        assertEquals(Instant.ofEpochMilli(42), store.contacts().get(0).lastSeen());
    }

    @Test
    public void conversationPagesBackwardsOldestFirst() throws Exception {
        List<StoredMessage> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.addAll(store.add(List.of(incoming("b" + i, "bob", "to bob " + i), incoming("c" + i, "carol", "c"))));
        }
        List<StoredMessage> bob = all.stream().filter(m -> m.peer().equals("bob")).toList();
        List<StoredMessage> newest = store.conversation("BOB", Long.MAX_VALUE, 10);
        assertEquals(bob.subList(15, 25), newest);
        List<StoredMessage> before = store.conversation("bob", newest.get(0).seq(), 10);
        assertEquals(bob.subList(5, 15), before);
        List<StoredMessage> oldest = store.conversation("bob", before.get(0).seq(), 10);
        assertEquals(bob.subList(0, 5), oldest);
        assertEquals(List.of(), store.conversation("bob", oldest.get(0).seq(), 10));
        assertEquals(List.of(), store.conversation("nobody", Long.MAX_VALUE, 10));
        assertEquals(25, store.count("bob"));
        assertEquals(25, store.count("Carol"));
        assertEquals(0, store.count("dave"));
    }

    @Test
    public void outboxHoldsQueuedAndSendingOutgoingMessagesOldestFirst() throws Exception {
        List<StoredMessage> stored = store.add(List.of(
                outgoing("1", "bob", "queued", DeliveryStatus.QUEUED),
                outgoing("2", "bob", "delivered", DeliveryStatus.DELIVERED),
                outgoing("3", "carol", "sending", DeliveryStatus.SENDING),
                incoming("4", "bob", "incoming"),
                outgoing("5", "bob", "failed", DeliveryStatus.FAILED),
                outgoing("6", "dave", "queued too", DeliveryStatus.QUEUED)));
        assertEquals(List.of(stored.get(0), stored.get(2), stored.get(5)), store.outbox());
    }

    @Test
    public void updateChangesStateReasonAndDeliveredTime() throws Exception {
        List<StoredMessage> stored = store.add(List.of(
                outgoing("1", "bob", "a", DeliveryStatus.SENDING),
                outgoing("2", "bob", "b", DeliveryStatus.SENDING)));
        Instant at = Instant.ofEpochMilli(1_800_000_000_123L);
        store.update(List.of(
                new StateChange(stored.get(0).seq(), DeliveryStatus.DELIVERED, "", at),
                new StateChange(stored.get(1).seq(), DeliveryStatus.QUEUED, "bob is offline", at),
                new StateChange(999_999, DeliveryStatus.FAILED, "unknown seq: ignored", at)));
        StoredMessage delivered = store.get(stored.get(0).seq()).orElseThrow();
        assertEquals(DeliveryStatus.DELIVERED, delivered.state());
        assertEquals(at, delivered.delivered());
        StoredMessage queued = store.get(stored.get(1).seq()).orElseThrow();
        assertEquals(DeliveryStatus.QUEUED, queued.state());
        assertEquals("bob is offline", queued.reason());
        assertNull(queued.delivered());
        assertEquals(List.of(queued), store.outbox());
        store.update(List.of(new StateChange(queued.seq(), DeliveryStatus.FAILED, "gave up", at)));
        assertEquals(List.of(), store.outbox());
    }

    @Test
    public void searchFindsExactlyTheTextsContainingTheQueryIgnoringCase() throws Exception {
        String[] texts = {
            "Hello World", "hello", "HELLO there", "help", "say hi", "h", "x_y", "x%y", "xay", "100% sure",
            "a_b_c", "Ärger über Öl", "ärgerlich", "ÄRGER", "snake_case_name", "percent %% twice", "quote \"it\"",
            "back\\slash", "", "emoji 😀 here", "ab", "abc", "abcd", "zabcz", "ABC", "ßtraße", "İstanbul", "ıi"
        };
        List<StoredMessage> stored = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            String peer = i % 3 == 0 ? "bob" : "carol";
            stored.addAll(store.add(List.of(incoming("t" + i, peer, texts[i]))));
        }
        String[] queries = {
            "h", "H", "l", "he", "HE", "hel", "HELLO", "llo w", "_", "%", "x_y", "x%y", "%%", "_c", "a_", "Ä", "ä",
            "ÄR", "ärger", "ÖL", "\"", "\"it\"", "\\", "back\\s", "😀", "😀 h", "ab", "abc", "ABCD", "bc",
            "ß", "STRASSE", "straße", "i", "İ", "ı", " ", "", "no such text", "y", "%y", "x"
        };
        for (String query : queries) {
            for (String peer : new String[] {null, "bob", "CAROL"}) {
                List<StoredMessage> expected = new ArrayList<>();
                for (StoredMessage m : stored) {
                    if (TextFold.contains(m.text(), query) && (peer == null || m.peer().equalsIgnoreCase(peer))) {
                        expected.add(0, m); // newest first
                    }
                }
                assertEquals("search '" + query + "' peer " + peer, expected, store.search(query, peer, 1000));
            }
        }
        // case-insensitive really holds for what people type
        assertEquals(3, store.search("hello", null, 100).size());
        assertEquals(List.of("x%y"), texts(store.search("%", null, 100), "x"));
        assertEquals(List.of("x_y"), texts(store.search("_y", null, 100), ""));
        assertEquals(4, store.search("abc", null, 100).size());
    }

    private static List<String> texts(List<StoredMessage> found, String prefix) {
        return found.stream().map(StoredMessage::text).filter(t -> t.startsWith(prefix)).collect(Collectors.toList());
    }

    @Test
    public void searchIsNewestFirstAndLimited() throws Exception {
        List<StoredMessage> stored = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            stored.addAll(store.add(List.of(incoming("s" + i, "bob", "needle " + i))));
        }
        List<StoredMessage> found = store.search("NEEDLE", null, 5);
        assertEquals(List.of(stored.get(29), stored.get(28), stored.get(27), stored.get(26), stored.get(25)), found);
        assertEquals(2, store.search("ne", "bob", 2).size());
        assertEquals(List.of(), store.search("needle", "carol", 5));
        assertEquals(List.of(), store.search("needle", null, 0));
    }

    @Test
    public void theTrigramIndexIsUsedForLongQueries() throws Exception {
        store.add(List.of(incoming("1", "bob", "indexed text")));
        awaitIndexed(store);
        // the same FTS5 query the store runs, straight on the file: the index exists and answers
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rowid FROM messages_fts WHERE messages_fts MATCH '\"xed te\"'")) {
            assertTrue(rs.next());
        }
    }

    @Test
    public void searchFindsTheSameBeforeAndAfterTheIndexerReachedTheRows() throws Exception {
        List<StoredMessage> stored = new ArrayList<>();
        for (int i = 0; i < 2 * SearchIndexer.CHUNK + 7; i++) {
            stored.add(store.add(List.of(incoming("n" + i, i % 2 == 0 ? "bob" : "carol",
                    (i % 3 == 0 ? "Needle " : "hay ") + i))).get(0));
        }
        List<StoredMessage> expected = new ArrayList<>();
        for (int i = stored.size() - 1; i >= 0; i--) {
            if (stored.get(i).text().startsWith("Needle") && stored.get(i).peer().equals("bob")) {
                expected.add(stored.get(i));
            }
        }
        List<StoredMessage> before = store.search("needle", "bob", 1_000);
        awaitIndexed(store);
        assertEquals(expected, before);
        assertEquals(expected, store.search("needle", "bob", 1_000));
        assertEquals(expected.subList(0, 3), store.search("NEEDLE", "bob", 3));
    }

    /** Waits (bounded) until the search indexer has every row. */
    private static void awaitIndexed(SqliteMessageStore store) throws InterruptedException {
        long last = store.conversation("bob", Long.MAX_VALUE, 1).stream().mapToLong(StoredMessage::seq).max().orElse(0);
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (store.indexedThrough() < last) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the indexer did not reach seq " + last + " within 30 s: " + store.indexedThrough());
            }
            Thread.sleep(5);
        }
    }

    @Test
    public void contactsJoinSeenNamesAndPeersWithMessages() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC);
        store.close();
        store = SqliteMessageStore.open(StoreSettings.of(file).withClock(clock));
        store.seen("Bob", Instant.ofEpochMilli(100));
        store.seen("bob", Instant.ofEpochMilli(50)); // older: last_seen stays, spelling follows
        store.seen("dave", Instant.ofEpochMilli(300));
        store.add(List.of(incoming("1", "BOB", "hi"), outgoing("2", "carol", "yo", DeliveryStatus.QUEUED)));
        List<StoredContact> contacts = store.contacts();
        assertEquals(List.of(
                new StoredContact("bob", Instant.ofEpochMilli(100), Instant.ofEpochMilli(5_000)),
                new StoredContact("carol", null, Instant.ofEpochMilli(5_000)),
                new StoredContact("dave", Instant.ofEpochMilli(300), null)), contacts);
    }

    @Test
    public void aClosedStoreRefusesWritesAndAnswersReadsWithNothing() throws Exception {
        store.add(List.of(incoming("1", "bob", "hi")));
        store.close();
        try {
            store.add(List.of(incoming("2", "bob", "late")));
            fail("closed store took a write");
        } catch (StoreException expected) {
            assertEquals("message store closed", expected.getMessage());
        }
        try {
            store.seen("bob", Instant.now());
            fail("closed store took a write");
        } catch (StoreException expected) {
            assertEquals("message store closed", expected.getMessage());
        }
        assertEquals(List.of(), store.conversation("bob", Long.MAX_VALUE, 10));
        assertEquals(0, store.count("bob"));
        assertFalse(store.fault().isPresent());
    }

    @Test
    public void theFileIsInWalModeWithTheCurrentSchemaVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertEquals("wal", rs.getString(1));
            }
            assertEquals(Schema.current().latest(), Schema.version(c));
        }
    }
}
