package peerchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import peerchat.api.store.StoreException;

/**
 * Brings the trigram search index up to date behind the writes, off their path: a stored message
 * is on disk (and may be acknowledged) before it is indexed. Indexing costs about as much as storing
 * (every message is some hundred trigrams), so doing it in the same commit halved what a receiver
 * can store per second. The indexer adds rows in chunks, each a write request of its own (it
 * shares a group commit with whatever else is written then), and records how far it got in
 * {@code search_state.indexed_through}; search looks at the rows above that with a plain scan
 * ({@link SqliteMessageStore#search}), so nothing stored is ever missing from a search.
 */
final class SearchIndexer {

    /** Rows per write request: about 5 ms of work, so a write that shares the commit waits little. */
    static final int CHUNK = 500;
    /**
     * Fewer rows than a chunk wait this long: indexing each message as it comes would add a commit
     * (and a sync) per message; a burst gets a chunk at once.
     */
    static final long IDLE_WAIT_MILLIS = 250;
    /** Pages of segment merging after each chunk (FTS5 'merge' command): a few milliseconds. */
    static final int MERGE_PAGES = 64;
    /** No store for this long: indexing may take the writer. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Rows not yet indexed beyond which indexing no longer waits for a quiet moment. */
    static final long MAX_BEHIND = 50_000;

    private final GroupCommitter committer;
    private final StoreLog log;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile boolean stopping;
    private boolean poked; // guarded by wake
    private volatile long indexedThrough;
    private volatile long lastWriteNanos = System.nanoTime() - QUIET_NANOS;
    private volatile long lastSeqSeen;

    SearchIndexer(GroupCommitter committer, StoreLog log, long indexedThrough) {
        this.committer = committer;
        this.log = log;
        this.indexedThrough = indexedThrough;
        this.thread = new Thread(this::run, "peerchat-store-indexer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The highest seq in the index (the rows above it are searched by a scan). */
    long indexedThrough() {
        return indexedThrough;
    }

    /** Rows up to {@code lastSeq} were committed: a chunk's worth wakes the indexer at once. */
    void committed(long lastSeq) {
        lastWriteNanos = System.nanoTime();
        lastSeqSeen = lastSeq;
        if (lastSeq - indexedThrough >= CHUNK) {
            poke();
        }
    }

    /**
     * Indexing gives way to storing: it waits until no message was stored for {@link #QUIET_NANOS}
     * (a burst is stored at full speed and indexed after it), unless more than {@link #MAX_BEHIND}
     * rows wait, which bounds the rows a search has to scan.
     */
    private void waitForQuiet() {
        while (!stopping && lastSeqSeen - indexedThrough < MAX_BEHIND) {
            long quietFor = System.nanoTime() - lastWriteNanos;
            if (quietFor >= QUIET_NANOS) {
                return;
            }
            synchronized (wake) {
                try {
                    wake.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(QUIET_NANOS - quietFor)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void poke() {
        synchronized (wake) {
            poked = true;
            wake.notifyAll();
        }
    }

    void stop() {
        stopping = true;
        poke();
        boolean interrupted = false;
        while (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (!stopping) {
            try {
                waitForQuiet();
                if (!stopping && indexChunk() < CHUNK) {
                    awaitPoke();
                }
            } catch (StoreException e) {
                // a full disk or a closed store: the rows stay searchable by the scan; try again later
                if (!stopping) {
                    log.warn("search index not brought up to date (tried again): " + e.getMessage(), null);
                    sleepQuietly();
                }
            } catch (RuntimeException | Error e) {
                log.error("search indexer failed; the rows above " + indexedThrough + " are searched by a scan", e);
                return;
            }
        }
    }

    /** Indexes the next chunk; returns how many rows it indexed. */
    private int indexChunk() throws StoreException {
        long[] result = committer.submit(SearchIndexer::indexNext);
        indexedThrough = result[0];
        return (int) result[1];
    }

    /** In a write request: the next rows into the index and the new mark; returns {mark, rows}. */
    static long[] indexNext(Connection c) throws SQLException {
        long from = mark(c);
        long to;
        try (PreparedStatement upper = c.prepareStatement(
                "SELECT MAX(seq), COUNT(*) FROM (SELECT seq FROM messages WHERE seq > ? ORDER BY seq LIMIT ?)")) {
            upper.setLong(1, from);
            upper.setInt(2, CHUNK);
            try (ResultSet rs = upper.executeQuery()) {
                rs.next();
                if (rs.getLong(2) == 0) {
                    return new long[] {from, 0};
                }
                to = rs.getLong(1);
            }
        }
        int rows;
        try (PreparedStatement index = c.prepareStatement("INSERT INTO messages_fts (rowid, text_folded) "
                + "SELECT seq, text_folded FROM messages WHERE seq > ? AND seq <= ?")) {
            index.setLong(1, from);
            index.setLong(2, to);
            rows = index.executeUpdate();
        }
        try (PreparedStatement merge = c.prepareStatement(
                "INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', " + MERGE_PAGES + ")")) {
            merge.executeUpdate(); // a bounded share of merging segments, instead of automerge's unbounded one
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE search_state SET indexed_through = ?")) {
            update.setLong(1, to);
            update.executeUpdate();
        }
        return new long[] {to, rows};
    }

    static long mark(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT indexed_through FROM search_state");
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void awaitPoke() {
        synchronized (wake) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_WAIT_MILLIS);
            while (!poked && !stopping) {
                long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    wake.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            poked = false;
        }
    }

    private void sleepQuietly() {
        synchronized (wake) {
            try {
                wake.wait(IDLE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
