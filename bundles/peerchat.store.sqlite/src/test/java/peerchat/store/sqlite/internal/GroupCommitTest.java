package peerchat.store.sqlite.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static peerchat.store.sqlite.internal.Messages.incoming;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.store.StateChange;
import peerchat.api.store.StoredMessage;

public class GroupCommitTest {

    private static final long TIMEOUT_SECONDS = 60;

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /**
     * The first batch is held at its commit until every other caller has queued up behind it, so the
     * outcome does not depend on how fast the disk syncs: the rest of them go in the second batch.
     */
    @Test
    public void concurrentCallersShareCommitsAndEachGetsItsOwnRows() throws Exception {
        int callers = 16;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        WriteHook holdFirstBatch = (connection, requests) -> {
            if (held.compareAndSet(0, requests)) {
                try {
                    release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Path file = folder.getRoot().toPath().resolve("group.db");
        SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withHook(holdFirstBatch));
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<StoredMessage>>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String peer = "peer" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return store.add(List.of(incoming("a", peer, "first of " + peer),
                            incoming("b", peer, "second of " + peer)));
                }));
            }
            start.countDown();
            // the writer holds its first batch; wait until all other adds are queued behind it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (held.get() == 0 || held.get() + store.pendingWrites() < callers) {
                assertTrue("callers did not queue up", System.nanoTime() < deadline);
                Thread.sleep(1);
            }
            release.countDown();
            Set<Long> seqs = new HashSet<>();
            List<List<StoredMessage>> stored = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                List<StoredMessage> mine = results.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                stored.add(mine);
                assertEquals(2, mine.size());
                assertEquals("first of peer" + i, mine.get(0).text());
                assertEquals("second of peer" + i, mine.get(1).text());
                assertEquals("peer" + i, mine.get(0).peer());
                seqs.add(mine.get(0).seq());
                seqs.add(mine.get(1).seq());
                assertEquals(mine, store.conversation("peer" + i, Long.MAX_VALUE, 10));
            }
            assertEquals("every row has its own seq", 2 * callers, seqs.size());
            long commits = store.commits();
            System.out.println("group commit: " + callers + " concurrent add calls took " + commits + " commits");
            assertTrue("commits " + commits + " for " + callers + " calls", commits < callers);
            assertEquals(2, commits);

            // concurrent updates: each caller's change lands on its own row
            List<Future<Object>> updates = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                StoredMessage second = stored.get(i).get(1);
                updates.add(pool.submit(() -> {
                    store.update(List.of(new StateChange(second.seq(), DeliveryStatus.DELIVERED, "",
                            Instant.ofEpochMilli(second.seq()))));
                    return null;
                }));
            }
            for (Future<Object> update : updates) {
                update.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            for (List<StoredMessage> mine : stored) {
                long seq = mine.get(1).seq();
                assertEquals(Instant.ofEpochMilli(seq), store.get(seq).orElseThrow().delivered());
                assertEquals(null, store.get(mine.get(0).seq()).orElseThrow().delivered());
            }
        } finally {
            release.countDown();
            pool.shutdownNow();
            store.close();
        }
    }

    @Test
    public void oneBadRequestDoesNotFailTheOthersInItsBatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger held = new AtomicInteger();
        Path file = folder.getRoot().toPath().resolve("mixed.db");
        SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file).withIndexing(false).withHook((c, n) -> {
            if (held.compareAndSet(0, n)) {
                try {
                    release.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> blocker = pool.submit(() -> store.add(List.of(incoming("0", "bob", "first batch"))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            Future<List<StoredMessage>> good = pool.submit(() -> store.add(List.of(incoming("1", "bob", "good"))));
            Future<Object> bad = pool.submit(() -> store.write(c -> {
                try (var st = c.createStatement()) {
                    st.execute("INSERT INTO messages (id) VALUES ('no other columns: NOT NULL fails')");
                }
                return null;
            }));
            while (held.get() == 0 || held.get() + store.pendingWrites() < 3) {
                assertTrue("requests did not queue up", System.nanoTime() < deadline);
                Thread.sleep(1);
            }
            release.countDown();
            blocker.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("good", good.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(0).text());
            try {
                bad.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                throw new AssertionError("a failing request succeeded");
            } catch (java.util.concurrent.ExecutionException expected) {
                assertTrue(String.valueOf(expected.getCause()), expected.getCause().getMessage().startsWith("cannot store"));
            }
            assertEquals(2, store.count("bob"));
            assertTrue(store.fault().isEmpty());
        } finally {
            release.countDown();
            pool.shutdownNow();
            store.close();
        }
    }
}
