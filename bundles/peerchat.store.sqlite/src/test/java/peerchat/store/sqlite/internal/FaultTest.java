package peerchat.store.sqlite.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static peerchat.store.sqlite.internal.Messages.incoming;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.api.store.StoreException;
import peerchat.api.store.StoredMessage;

public class FaultTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final StoreLog log = new StoreLog() {
        @Override
        public void info(String message) {
        }

        @Override
        public void warn(String message, Throwable cause) {
            warnings.add(message);
        }

        @Override
        public void error(String message, Throwable cause) {
            warnings.add(message);
        }
    };

    /** An injected SQLITE_FULL / SQLITE_IOERR at commit: all rolled back, fault reported until a write succeeds. */
    @Test
    public void anInjectedFaultRollsBackAndClearsWithTheNextSuccessfulWrite() throws Exception {
        Path file = folder.getRoot().toPath().resolve("inject.db");
        int[] failWith = {0};
        SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withLog(log).withHook((c, n) -> {
            if (failWith[0] != 0) {
                throw new SQLException("[injected] code " + failWith[0], null, failWith[0]);
            }
        }));
        try {
            StoredMessage kept = store.add(List.of(incoming("1", "bob", "before"))).get(0);
            failWith[0] = Faults.SQLITE_FULL;
            expectFault(store, "disk full: cannot write " + file.toAbsolutePath());
            assertEquals("disk full: cannot write " + file.toAbsolutePath(), store.fault().orElseThrow());
            // nothing of the failed batch is there, reads still answer
            assertEquals(List.of(kept), store.conversation("bob", Long.MAX_VALUE, 10));
            assertEquals(1, warnings.size());

            failWith[0] = Faults.SQLITE_IOERR; // an I/O error also reopens the connection
            expectFault(store, "I/O error writing the database file: " + file.toAbsolutePath() + " ([injected] code 10)");

            failWith[0] = 0;
            StoredMessage after = store.add(List.of(incoming("2", "bob", "after"))).get(0);
            assertTrue(store.fault().isEmpty());
            assertEquals(List.of(kept, after), store.conversation("bob", Long.MAX_VALUE, 10));
        } finally {
            store.close();
        }
    }

    /** A real SQLITE_FULL from SQLite: the file may not grow (max_page_count), then may again. */
    @Test
    public void aFullDatabaseFailsTheBatchAndRecoversWhenThereIsRoomAgain() throws Exception {
        Path file = folder.getRoot().toPath().resolve("full.db");
        SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withLog(log));
        try {
            StoredMessage kept = store.add(List.of(incoming("0", "bob", "small"))).get(0);
            long pages = store.write(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA page_count")) {
                    rs.next();
                    long count = rs.getLong(1);
                    st.execute("PRAGMA max_page_count = " + count);
                    return count;
                }
            });
            assertTrue(pages > 0);
            String big = "x".repeat(256 * 1024);
            try {
                store.add(List.of(incoming("1", "bob", big), incoming("2", "bob", "small too")));
                fail("a full database took the batch");
            } catch (StoreException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().startsWith("disk full"));
            }
            assertTrue(store.fault().orElseThrow().startsWith("disk full"));
            assertEquals(List.of(kept), store.conversation("bob", Long.MAX_VALUE, 10));
            assertEquals(List.of(), store.search("small too", null, 10));

            store.write(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA max_page_count = 1073741823");
                }
                return null;
            });
            assertTrue(store.fault().isEmpty());
            List<StoredMessage> stored = store.add(List.of(incoming("1", "bob", big), incoming("2", "bob", "small too")));
            assertEquals(3, store.count("bob"));
            assertEquals(List.of(stored.get(1)), store.search("small too", null, 10));
        } finally {
            store.close();
        }
    }

    /** Works as root too: the write connection itself is read-only (SQLiteConfig.setReadOnly). */
    @Test
    public void aReadOnlyDatabaseReportsItAndStillAnswersReads() throws Exception {
        Path file = folder.getRoot().toPath().resolve("readonly.db");
        SqliteMessageStore writable = SqliteMessageStore.open(StoreSettings.of(file));
        StoredMessage kept = writable.add(List.of(incoming("1", "bob", "kept"))).get(0);
        writable.close();

        SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withLog(log).withReadOnly(true));
        try {
            expectFault(store, "database file is read-only: " + file.toAbsolutePath());
            try {
                store.seen("bob", java.time.Instant.now());
                fail("read-only store took a write");
            } catch (StoreException expected) {
                assertEquals("database file is read-only: " + file.toAbsolutePath(), expected.getMessage());
            }
            assertEquals(List.of(kept), store.conversation("bob", Long.MAX_VALUE, 10));
            assertEquals(List.of(kept), store.search("KEPT", null, 10));
            assertEquals(1, store.contacts().size());
        } finally {
            store.close();
        }
    }

    /** The file loses its write permission while the store is closed, and gets it back. */
    @Test
    public void aReadOnlyFileFailsWritesUntilItIsWritableAgain() throws Exception {
        Path file = folder.getRoot().toPath().resolve("perm.db");
        SqliteMessageStore.open(StoreSettings.of(file)).close();
        File db = file.toFile();
        assertTrue(db.setWritable(false, false));
        try {
            assumePermissionsHold(db);
            SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withLog(log));
            try {
                expectFault(store, "database file is read-only: " + file.toAbsolutePath());
                assertTrue(db.setWritable(true, false));
                store.add(List.of(incoming("1", "bob", "writable again")));
                assertTrue(store.fault().isEmpty());
                assertEquals(1, store.count("bob"));
            } finally {
                store.close();
            }
        } finally {
            db.setWritable(true, false);
        }
    }

    /** The folder becomes read-only: SQLite cannot create its -wal/-shm files there. */
    @Test
    public void aReadOnlyFolderFailsWritesUntilItIsWritableAgain() throws Exception {
        File dir = folder.newFolder("rodir");
        Path file = dir.toPath().resolve("dir.db");
        SqliteMessageStore.open(StoreSettings.of(file)).close();
        assertTrue(dir.setWritable(false, false));
        try {
            assumePermissionsHold(new File(dir, "probe"));
            SqliteMessageStore store;
            try {
                store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withLog(log));
            } catch (StoreException refusedAtOpen) {
                // acceptable as well: the reason names the file
                assertTrue(refusedAtOpen.getMessage(), refusedAtOpen.getMessage().contains(file.toAbsolutePath().toString()));
                assertTrue(dir.setWritable(true, false));
                store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withLog(log));
            }
            try {
                try {
                    store.add(List.of(incoming("0", "bob", "maybe refused")));
                } catch (StoreException refused) {
                    assertTrue(refused.getMessage(), refused.getMessage().contains(file.toAbsolutePath().toString()));
                    assertEquals(refused.getMessage(), store.fault().orElseThrow());
                }
                assertTrue(dir.setWritable(true, false));
                store.add(List.of(incoming("1", "bob", "writable again")));
                assertTrue(store.fault().isEmpty());
            } finally {
                store.close();
            }
        } finally {
            dir.setWritable(true, false);
        }
    }

    private static void expectFault(SqliteMessageStore store, String reason) {
        long before = store.count("bob");
        try {
            store.add(List.of(incoming("f" + System.nanoTime(), "bob", "lost")));
            fail("expected: " + reason);
        } catch (StoreException expected) {
            assertEquals(reason, expected.getMessage());
        }
        assertEquals(reason, store.fault().orElseThrow());
        assertEquals(before, store.count("bob"));
        assertFalse(store.fault().isEmpty());
    }

    /** As root (or with CAP_DAC_OVERRIDE) permission bits do not stop writes: skip, and say so. */
    private static void assumePermissionsHold(File readOnly) {
        boolean existed = readOnly.exists();
        boolean ignored;
        try (FileOutputStream out = new FileOutputStream(readOnly, true)) {
            ignored = true;
        } catch (IOException e) {
            ignored = false;
        }
        if (!existed) {
            readOnly.delete();
        }
        if (ignored) {
            System.out.println("SKIPPED " + readOnly + ": permission bits do not stop writes for user "
                    + System.getProperty("user.name") + " (root?); the read-only case is covered by "
                    + "aReadOnlyDatabaseReportsItAndStillAnswersReads");
        }
        Assume.assumeFalse("permission bits do not stop writes for user " + System.getProperty("user.name"), ignored);
    }
}
