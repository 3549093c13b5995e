package peerchat.store.sqlite.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.store.StoreException;
import peerchat.api.store.StoredMessage;

/**
 * Measures the SQLite message store ({@link SqliteMessageStore}, WAL, {@code synchronous=FULL}, group
 * commit, FTS5 trigram search) on the disk where it runs, with a raw {@code FileChannel.write +
 * force(false)} of 100 bytes on the same disk in the same run as the baseline for durable commits,
 * and prints a table (also written to {@code target/store-results.md} and {@code .csv}). Not a test:
 * nothing here asserts a speed. Lives in the store's package (on the plain class path) so it can open
 * the store without OSGi. See docs/PERFORMANCE.md, "Message store".
 *
 * <ol>
 * <li>fills a new store with {@code -Dcount} messages (default 1,000,000) of seeded random words,
 * 20–200 characters, over 50 peers, one of them holding a tenth (100,000), through the public
 * {@code add} in batches of 1,000 (as the chat engine hands its queue to the store); fill rate and
 * bytes on disk per message after a checkpoint;</li>
 * <li>{@code search(text, null, 100)}: 200 queries of 3+ characters (trigram index), 20 of 1–2
 * characters (LIKE scan) reported apart; p50/p90/p99 and how many results they found;</li>
 * <li>the big conversation: {@code conversation(peer, Long.MAX_VALUE, 100)} and ten pages back,
 * {@code count(peer)};</li>
 * <li>one-message durable commits next to raw 100-byte fsyncs (alternating blocks), and messages/s
 * in batches of 1, 10, 100 and 1,000 and with 8 threads adding one message each.</li>
 * </ol>
 *
 * <p>Usage: {@code StoreBenchmark [results-dir]} with {@code -Dcount=N} (messages to fill, default
 * 1,000,000) and {@code -Ddir=PATH} (where the database goes, default {@code target/store-bench};
 * a database left there by an earlier run is deleted first, this run's is left for inspection).
 * Every loop is bounded by a count and by time.
 */
public final class StoreBenchmark {

    private record Row(String name, String unit, double store, double baseline, String note, String target) {
    }

    private static final String ME = "me";
    private static final String BIG_PEER = "carol";
    private static final int PEERS = 50;
    private static final int FILL_BATCH = 1_000;
    private static final long FILL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(Long.getLong("fill.seconds", 240));

    private final int count;
    private final Path dir;
    private final Path file;
    private final Random random = new Random(Long.getLong("seed", 20261125L));
    private final Words words = new Words(new Random(7));
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private int printed;
    private SqliteMessageStore store;
    private int filled;
    private long nextId;
    private long clock = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private double rawFsyncMicrosP50;

    private StoreBenchmark(int count, Path dir) {
        this.count = count;
        this.dir = dir;
        this.file = dir.resolve("messages.db");
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("count", 1_000_000);
        Path dir = Path.of(System.getProperty("dir", "target/store-bench")).toAbsolutePath();
        Path out = Path.of(args.length > 0 ? args[args.length - 1] : "target");
        System.out.printf(Locale.ROOT, "Peers Chatting message store benchmark (%,d messages, %d cores, %s %s)%n",
                count, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        System.out.println("database: " + dir.resolve("messages.db") + " (" + Files.getFileStore(
                Files.createDirectories(dir)) + ")");
        StoreBenchmark benchmark = new StoreBenchmark(count, dir);
        benchmark.fill();
        benchmark.search();
        benchmark.conversation();
        benchmark.commitLatency();
        benchmark.batchThroughput();
        benchmark.store.close();
        benchmark.report(out);
    }

    // --- 1. fill ---------------------------------------------------------------------------

    private void fill() throws Exception {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Files.deleteIfExists(dir.resolve("messages.db" + suffix));
        }
        store = SqliteMessageStore.open(StoreSettings.of(file));
        String sqlite;
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            sqlite = rs.getString(1);
        }
        System.out.println("SQLite " + sqlite + "; filling ...");
        long inAdd = 0;
        long slowestBatch = 0;
        long characters = 0;
        long start = System.nanoTime();
        long lastReport = start;
        List<StoredMessage> batch = new ArrayList<>(FILL_BATCH);
        while (filled < count && System.nanoTime() - start < FILL_LIMIT_NANOS) {
            batch.clear();
            for (int i = 0; i < FILL_BATCH && filled + i < count; i++) {
                StoredMessage m = message(fillPeer(filled + i), words.sentence(random, 20 + (int) (181 * Math.pow(
                        random.nextDouble(), 1.5))));
                characters += m.text().length();
                batch.add(m);
            }
            long t0 = System.nanoTime();
            List<StoredMessage> stored = store.add(batch);
            long took = System.nanoTime() - t0;
            inAdd += took;
            slowestBatch = Math.max(slowestBatch, took);
            if (stored.size() != batch.size() || stored.get(0).seq() != filled + 1) {
                throw new IllegalStateException("unexpected add result at " + filled);
            }
            filled += batch.size();
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
                lastReport = System.nanoTime();
                System.out.printf(Locale.ROOT, "  %,d messages after %.0f s (%,.0f/s so far)%n", filled,
                        (lastReport - start) / 1e9, filled / (inAdd / 1e9));
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double rate = filled / (inAdd / 1e9);
        if (filled < count) {
            notes.add(String.format(Locale.ROOT, "fill stopped by its time limit after %,d of %,d messages",
                    filled, count));
        }
        System.out.printf(Locale.ROOT, "  filled %,d messages (mean text %.0f chars) in %.1f s, %.1f s of it in add()%n",
                filled, (double) characters / filled, wall, inAdd / 1e9);
        rows.add(new Row(String.format(Locale.ROOT, "fill %,d messages, add() in batches of %,d", filled, FILL_BATCH),
                "msg/s", rate, Double.NaN, String.format(Locale.ROOT, "%.0f s; %,d commits; slowest %.2f s",
                        inAdd / 1e9, store.commits(), slowestBatch / 1e9), "-"));
        // the search index is written behind the writes; search figures are for the steady state
        long indexStart = System.nanoTime();
        while (store.indexedThrough() < filled && System.nanoTime() - indexStart < FILL_LIMIT_NANOS) {
            Thread.sleep(50);
        }
        double indexSeconds = (System.nanoTime() - indexStart) / 1e9;
        System.out.printf(Locale.ROOT, "  search index caught up %.1f s after the last add (through seq %,d)%n",
                indexSeconds, store.indexedThrough());
        rows.add(new Row("search index behind the writes: catch-up after the fill", "s", indexSeconds, Double.NaN,
                String.format(Locale.ROOT, "%,d messages indexed in all", store.indexedThrough()), "-"));
        long walBefore = size("-wal");
        long dbBefore = size("");
        checkpoint();
        long db = size("");
        long wal = size("-wal");
        System.out.printf(Locale.ROOT, "  on disk: db %,d + wal %,d bytes before the checkpoint, db %,d + wal %,d after%n",
                dbBefore, walBefore, db, wal);
        rows.add(new Row("bytes on disk per message (db + wal after a checkpoint)", "B", (double) (db + wal) / filled,
                Double.NaN, String.format(Locale.ROOT, "%.0f MB for %,d messages, text %.0f B/msg", (db + wal) / 1e6,
                        filled, (double) characters / filled), "-"));
        spaceByTable();
        progress();
    }

    /** A tenth of the messages are with {@link #BIG_PEER}, the rest spread over 49 others. */
    private String fillPeer(int index) {
        return index % 10 == 3 ? BIG_PEER : "peer" + (1 + random.nextInt(PEERS - 1));
    }

    private StoredMessage message(String peer, String text) {
        boolean outgoing = random.nextBoolean();
        clock += 1 + random.nextInt(2_000);
        Instant sent = Instant.ofEpochMilli(clock);
        Instant later = Instant.ofEpochMilli(clock + 20 + random.nextInt(200));
        return new StoredMessage(0, "m" + (nextId++) + "-" + Long.toHexString(random.nextLong()), peer, outgoing,
                outgoing ? ME : peer, outgoing ? peer : ME, text, sent, outgoing ? null : later,
                outgoing ? later : null, DeliveryStatus.DELIVERED, "");
    }

    private long size(String suffix) throws IOException {
        Path path = dir.resolve("messages.db" + suffix);
        return Files.exists(path) ? Files.size(path) : 0;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private void checkpoint() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
                if (rs.getInt(1) != 0) {
                    notes.add("the checkpoint after the fill was blocked (busy)");
                }
            }
        }
    }

    /** Where the bytes are, when this SQLite has the dbstat table (information only). */
    private void spaceByTable() {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")) {
            StringBuilder line = new StringBuilder("  space by table/index:");
            while (rs.next()) {
                line.append(String.format(Locale.ROOT, " %s %.0f MB;", rs.getString(1), rs.getLong(2) / 1e6));
            }
            System.out.println(line);
        } catch (SQLException e) {
            System.out.println("  (no dbstat: " + e.getMessage() + ")");
        }
    }

    // --- 2. search -------------------------------------------------------------------------

    private void search() throws Exception {
        List<String> queries = new ArrayList<>();
        Random r = new Random(99);
        for (int i = 0; i < 80; i++) { // whole words, common ones most often (as they occur in the texts)
            String word;
            do {
                word = words.word(r);
            } while (word.length() < 3);
            queries.add(word);
        }
        for (int i = 0; i < 60; i++) { // parts of words, any word of the vocabulary
            String word;
            do {
                word = words.vocabulary[r.nextInt(words.vocabulary.length)];
            } while (word.length() < 4);
            int length = 3 + r.nextInt(Math.min(4, word.length() - 2));
            int from = r.nextInt(word.length() - length + 1);
            queries.add(word.substring(from, length + from));
        }
        for (int i = 0; i < 40; i++) { // a fragment of a stored message (two or three words)
            String text = store.get(1 + r.nextInt(filled)).orElseThrow().text();
            int length = Math.min(text.length(), 8 + r.nextInt(13));
            int from = r.nextInt(text.length() - length + 1);
            String fragment = text.substring(from, from + length).strip();
            queries.add(fragment.length() >= 3 ? fragment : text.substring(0, 3));
        }
        for (int i = 0; i < 20; i++) { // capitalised words: matched ignoring case
            String word;
            do {
                word = words.word(r);
            } while (word.length() < 3);
            queries.add(Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        Collections.shuffle(queries, r);
        List<String> shortQueries = new ArrayList<>(List.of("a", "e", "s", "t", "o", "7", "th", "an", "er", "in",
                "ou", "st", "ly", "zo", "qu", "we", "it", "ax", "%_", "Ð"));
        explain();
        for (int i = 0; i < 10; i++) { // warm-up, not counted
            store.search(queries.get(i), null, 100);
        }
        measureSearch("search, 3+ chars (trigram index)", queries, TimeUnit.SECONDS.toNanos(90), "p50 <= 50 ms");
        measureSearch("search, 1-2 chars (LIKE scan)", shortQueries, TimeUnit.SECONDS.toNanos(45), "-");
    }

    private void measureSearch(String name, List<String> queries, long limitNanos, String target) {
        long[] took = new long[queries.size()];
        int[] found = new int[queries.size()];
        String slowest = "";
        long start = System.nanoTime();
        int done = 0;
        for (; done < queries.size() && System.nanoTime() - start < limitNanos; done++) {
            String query = queries.get(done);
            long t0 = System.nanoTime();
            List<StoredMessage> result = store.search(query, null, 100);
            took[done] = System.nanoTime() - t0;
            found[done] = result.size();
            String folded = TextFold.fold(query);
            for (StoredMessage m : result) {
                if (!TextFold.fold(m.text()).contains(folded)) {
                    throw new IllegalStateException("search '" + query + "' found " + m);
                }
            }
            if (took[done] == Arrays.stream(took, 0, done + 1).max().orElse(0)) {
                slowest = query;
            }
        }
        if (done < queries.size()) {
            notes.add(String.format(Locale.ROOT, "%s: time limit after %d of %d queries", name, done, queries.size()));
        }
        long[] times = Arrays.copyOf(took, done);
        Arrays.sort(times);
        int[] counts = Arrays.copyOf(found, done);
        Arrays.sort(counts);
        long full = Arrays.stream(counts).filter(n -> n == 100).count();
        long none = Arrays.stream(counts).filter(n -> n == 0).count();
        String results = String.format(Locale.ROOT, "%d queries; results: median %d, %d with the full 100, %d with none",
                done, counts[done / 2], full, none);
        rows.add(new Row(name + " p50", "ms", millis(percentile(times, 0.50)), Double.NaN, results, target));
        rows.add(new Row(name + " p90", "ms", millis(percentile(times, 0.90)), Double.NaN, "", "-"));
        rows.add(new Row(name + " p99", "ms", millis(percentile(times, 0.99)), Double.NaN, String.format(Locale.ROOT,
                "max %.1f ms ('%s')", millis(times[done - 1]), slowest), "-"));
        progress();
    }

    /** Prints SQLite's plan for the two search statements (information only). */
    private void explain() {
        String columns = "m.seq, m.id, m.peer, m.outgoing, m.from_name, m.to_name, m.text, m.sent, m.received, "
                + "m.delivered, m.state, m.reason, m.text_folded";
        String[] statements = {
            "SELECT " + columns + " FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid "
                    + "WHERE messages_fts MATCH '\"hello\"' ORDER BY m.seq DESC",
            "SELECT seq, text_folded FROM messages WHERE text_folded LIKE '%th%' ESCAPE '\\' ORDER BY seq DESC"};
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                StringBuilder plan = new StringBuilder("  plan of " + sql.substring(sql.indexOf("FROM")) + ":");
                try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
                    while (rs.next()) {
                        plan.append(" [").append(rs.getString("detail")).append(']');
                    }
                }
                System.out.println(plan);
            }
        } catch (SQLException e) {
            System.out.println("  (no plan: " + e.getMessage() + ")");
        }
    }

    // --- 3. the big conversation -----------------------------------------------------------

    private void conversation() throws Exception {
        // a freshly opened store (its connections' page caches empty; the OS cache is warm): the first page
        store.close();
        store = SqliteMessageStore.open(StoreSettings.of(file));
        long t0 = System.nanoTime();
        List<StoredMessage> first = store.conversation(BIG_PEER, Long.MAX_VALUE, 100);
        double firstAfterOpen = millis(System.nanoTime() - t0);
        check(first, Long.MAX_VALUE);
        t0 = System.nanoTime();
        long total = store.count(BIG_PEER);
        double countAfterOpen = millis(System.nanoTime() - t0);
        int rounds = 30;
        long[] firstPages = new long[rounds];
        long[] olderPages = new long[rounds * 10];
        long[] counts = new long[rounds];
        long start = System.nanoTime();
        int done = 0;
        for (; done < rounds && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60); done++) {
            t0 = System.nanoTime();
            List<StoredMessage> page = store.conversation(BIG_PEER, Long.MAX_VALUE, 100);
            firstPages[done] = System.nanoTime() - t0;
            check(page, Long.MAX_VALUE);
            for (int p = 0; p < 10; p++) {
                long before = page.get(0).seq();
                t0 = System.nanoTime();
                page = store.conversation(BIG_PEER, before, 100);
                olderPages[done * 10 + p] = System.nanoTime() - t0;
                check(page, before);
            }
            t0 = System.nanoTime();
            long n = store.count(BIG_PEER);
            counts[done] = System.nanoTime() - t0;
            if (n != total) {
                throw new IllegalStateException("count changed: " + n + " / " + total);
            }
        }
        long[] f = Arrays.copyOf(firstPages, done);
        long[] o = Arrays.copyOf(olderPages, done * 10);
        long[] c = Arrays.copyOf(counts, done);
        Arrays.sort(f);
        Arrays.sort(o);
        Arrays.sort(c);
        String of = String.format(Locale.ROOT, "%,d messages with %s", total, BIG_PEER);
        rows.add(new Row("open conversation: newest 100, first call after opening the store", "ms", firstAfterOpen,
                Double.NaN, of, "<= 100 ms"));
        rows.add(new Row("open conversation: newest 100, p50 / p99", "ms", millis(percentile(f, 0.5)), Double.NaN,
                String.format(Locale.ROOT, "p99 %.2f ms (%d calls)", millis(percentile(f, 0.99)), done), "<= 100 ms"));
        rows.add(new Row("page back 100 older (10 pages), p50 / p99", "ms", millis(percentile(o, 0.5)), Double.NaN,
                String.format(Locale.ROOT, "p99 %.2f ms (%d calls)", millis(percentile(o, 0.99)), o.length),
                "<= 100 ms"));
        rows.add(new Row("count(peer) of that conversation, p50 / p99", "ms", millis(percentile(c, 0.5)), Double.NaN,
                String.format(Locale.ROOT, "p99 %.2f ms; first after opening %.1f ms", millis(percentile(c, 0.99)),
                        countAfterOpen), "-"));
        progress();
    }

    private static void check(List<StoredMessage> page, long before) {
        if (page.size() != 100) {
            throw new IllegalStateException("page of " + page.size());
        }
        for (int i = 0; i < page.size(); i++) {
            StoredMessage m = page.get(i);
            if (!m.peer().equals(BIG_PEER) || m.seq() >= before || (i > 0 && m.seq() <= page.get(i - 1).seq())) {
                throw new IllegalStateException("bad page at " + i + ": " + m);
            }
        }
    }

    // --- 4. durable commits ----------------------------------------------------------------

    /**
     * One-message adds and raw 100-byte write + force(false) alternate in blocks of 10, so both see the
     * same disk and machine load.
     */
    private void commitLatency() throws Exception {
        int blocks = 50;
        int block = 10;
        int warmup = 3;
        long[] add = new long[blocks * block];
        long[] raw = new long[blocks * block];
        Path rawFile = dir.resolve("raw-fsync.bin");
        Files.deleteIfExists(rawFile);
        ByteBuffer bytes = ByteBuffer.allocateDirect(100);
        int done = 0;
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(rawFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int b = -warmup; b < blocks && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60); b++) {
                for (int i = 0; i < block; i++) {
                    StoredMessage m = message(peer(), words.sentence(random, 100, 100));
                    long t0 = System.nanoTime();
                    store.add(List.of(m));
                    long took = System.nanoTime() - t0;
                    if (b >= 0) {
                        add[b * block + i] = took;
                    }
                }
                for (int i = 0; i < block; i++) {
                    bytes.clear();
                    long t0 = System.nanoTime();
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(false);
                    long took = System.nanoTime() - t0;
                    if (b >= 0) {
                        raw[b * block + i] = took;
                    }
                }
                if (b >= 0) {
                    done = (b + 1) * block;
                }
            }
        } finally {
            Files.deleteIfExists(rawFile);
        }
        long[] a = Arrays.copyOf(add, done);
        long[] w = Arrays.copyOf(raw, done);
        Arrays.sort(a);
        Arrays.sort(w);
        double a50 = micros(percentile(a, 0.5));
        double w50 = micros(percentile(w, 0.5));
        double a99 = micros(percentile(a, 0.99));
        double w99 = micros(percentile(w, 0.99));
        rawFsyncMicrosP50 = w50;
        rows.add(new Row("durable commit of 1 message, add(List.of(m)), p50", "µs", a50, w50, ratio(a50, w50)
                + " (raw = 100 B write + force(false))", "-"));
        rows.add(new Row("durable commit of 1 message, add(List.of(m)), p99", "µs", a99, w99, ratio(a99, w99)
                + String.format(Locale.ROOT, " (%d of each)", done), "-"));
        progress();
    }

    private String peer() {
        return random.nextInt(10) == 0 ? BIG_PEER : "peer" + (1 + random.nextInt(PEERS - 1));
    }

    /**
     * Messages/s adding 100-character messages in batches of 1, 10, 100 and 1,000 from one thread
     * (each add one transaction, one fsync), then 8 threads adding one message each (the writer
     * groups what is queued into one transaction). Each at most 6 s or 30,000 messages.
     */
    private void batchThroughput() throws Exception {
        for (int size : new int[] {1, 10, 100, 1_000}) {
            long messages = 0;
            long start = System.nanoTime();
            long inAdd = 0;
            while (messages < 30_000 && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6)) {
                List<StoredMessage> batch = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    batch.add(message(peer(), words.sentence(random, 100, 100)));
                }
                long t0 = System.nanoTime();
                store.add(batch);
                inAdd += System.nanoTime() - t0;
                messages += size;
            }
            double rate = messages / (inAdd / 1e9);
            double ceiling = size * 1e6 / rawFsyncMicrosP50;
            rows.add(new Row(String.format(Locale.ROOT, "100 B messages in batches of %,d (1 thread)", size), "msg/s",
                    rate, ceiling, String.format(Locale.ROOT, "%,d msgs; baseline = %d per raw fsync", messages, size),
                    size >= 100 ? "100,000 msg/s (group commit)" : "-"));
            progress();
        }
        concurrentSingles(8);
    }

    private void concurrentSingles(int threads) throws Exception {
        long commitsBefore = store.commits();
        AtomicLong added = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        CountDownLatch done = new CountDownLatch(threads);
        List<List<StoredMessage>> prepared = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<StoredMessage> mine = new ArrayList<>();
            for (int i = 0; i < 30_000 / threads; i++) {
                mine.add(message(peer(), words.sentence(random, 100, 100)));
            }
            prepared.add(mine);
        }
        long start = System.nanoTime();
        for (List<StoredMessage> mine : prepared) {
            Thread thread = new Thread(() -> {
                try {
                    for (StoredMessage m : mine) {
                        if (System.nanoTime() > deadline) {
                            break;
                        }
                        store.add(List.of(m));
                        added.incrementAndGet();
                    }
                } catch (StoreException e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long commits = store.commits() - commitsBefore;
        rows.add(new Row(String.format(Locale.ROOT, "%d threads adding 1 message each (writer groups them)", threads),
                "msg/s", added.get() / seconds, threads * 1e6 / rawFsyncMicrosP50, String.format(Locale.ROOT,
                        "%,d msgs in %,d commits (%.1f per commit); baseline = %d per raw fsync", added.get(), commits,
                        (double) added.get() / commits, threads), "-"));
        progress();
    }

    // --- words -----------------------------------------------------------------------------

    /** A fixed vocabulary: 200 common English words and 3,000 made-up ones, drawn with a steep skew. */
    private static final class Words {
        private static final String COMMON = "the be to of and a in that have i it for not on with he as you do at "
                + "this but his by from they we say her she or an will my one all would there their what so up out "
                + "if about who get which go me when make can like time no just him know take people into year your "
                + "good some could them see other than then now look only come its over think also back after use "
                + "two how our work first well way even new want because any these give day most us is are was were "
                + "been has had did does said going really yes okay ok thanks thank hello hi hey tomorrow today "
                + "tonight meeting call later soon sure great fine sorry please maybe home office lunch dinner coffee "
                + "weekend morning evening night week month build test release bug fix server client message chat "
                + "file send sent got here where why lol haha nice cool right left wait minute hour again still never "
                + "always something nothing everything anyone someone train bus car station airport ticket price";
        private static final String[] SYLLABLES = {"ka", "lo", "mi", "ter", "son", "ra", "ven", "do", "bri", "ex",
            "qua", "zor", "pel", "tin", "us", "ar", "mon", "ste", "ly", "gra", "fen", "ol", "wi", "cha", "du", "ne",
            "rix", "sa", "bel", "tho"};

        final String[] vocabulary;

        Words(Random random) {
            List<String> list = new ArrayList<>(Arrays.asList(COMMON.split(" ")));
            while (list.size() < 3_200) {
                StringBuilder word = new StringBuilder();
                for (int n = 2 + random.nextInt(3); n > 0; n--) {
                    word.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
                }
                list.add(word.toString());
            }
            vocabulary = list.toArray(String[]::new);
        }

        /** A word, the first ones of the vocabulary far more often (roughly Zipf-like). */
        String word(Random random) {
            return vocabulary[(int) (vocabulary.length * Math.pow(random.nextDouble(), 3.5))];
        }

        /** A sentence of at least {@code length} characters. */
        String sentence(Random random, int length) {
            StringBuilder text = new StringBuilder(length + 20);
            while (text.length() < length) {
                if (!text.isEmpty()) {
                    text.append(random.nextInt(12) == 0 ? ", " : " ");
                }
                String word = random.nextInt(40) == 0 ? Integer.toString(random.nextInt(2_000)) : word(random);
                text.append(text.isEmpty() ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
            }
            return text.append(".?!".charAt(random.nextInt(3))).toString();
        }

        /** A sentence of exactly {@code length} characters (at least {@code min}). */
        String sentence(Random random, int min, int length) {
            return sentence(random, min).substring(0, length);
        }
    }

    // --- output ----------------------------------------------------------------------------

    private void report(Path out) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("| benchmark | unit | store | baseline | ratio / note | target |\n");
        md.append("|---|---|---:|---:|---|---|\n");
        StringBuilder csv = new StringBuilder("benchmark,unit,store,baseline,note,target\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", row.name(), row.unit(),
                    number(row.store()), number(row.baseline()), row.note(), row.target()));
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%.3f,%s,\"%s\",\"%s\"%n", row.name(), row.unit(),
                    row.store(), Double.isNaN(row.baseline()) ? "" : String.format(Locale.ROOT, "%.3f",
                            row.baseline()), row.note(), row.target()));
        }
        for (String note : notes) {
            md.append("\nNote: ").append(note).append('\n');
        }
        System.out.println();
        System.out.print(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("store-results.md"), md);
        Files.writeString(out.resolve("store-results.csv"), csv);
        System.out.println();
        System.out.println("written to " + out.resolve("store-results.md").toAbsolutePath() + " and store-results.csv;"
                + " the database is left in " + dir + " (the next run deletes it)");
    }

    private void progress() {
        for (; printed < rows.size(); printed++) {
            Row row = rows.get(printed);
            System.out.printf(Locale.ROOT, "  %-62s %12s %-5s %s%n", row.name(), number(row.store()), row.unit(),
                    Double.isNaN(row.baseline()) ? "" : "(baseline " + number(row.baseline()) + ")");
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return Math.abs(value) >= 1000 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(double store, double raw) {
        return String.format(Locale.ROOT, "%.2f", store / raw);
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }
}
