package peerchat.store.sqlite.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.store.MessageStore;
import peerchat.api.store.StateChange;
import peerchat.api.store.StoreException;
import peerchat.api.store.StoredContact;
import peerchat.api.store.StoredMessage;

/**
 * The message store on one SQLite file, without OSGi. Writes go through the {@link GroupCommitter}
 * (one writer connection, WAL, {@code synchronous=FULL}: every commit is synced before the callers
 * return); reads use a small pool of read-only connections that see the last commit and never wait
 * for the writer (WAL readers do not block on the writer). Times are kept as epoch milliseconds.
 */
final class SqliteMessageStore implements MessageStore {

    /** Lock waits (another process, a checkpoint) before SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_IDLE_READERS = 4;

    private static final String COLUMNS =
            "seq, id, peer, outgoing, from_name, to_name, text, sent, received, delivered, state, reason";

    private final StoreSettings settings;
    private final Path file;
    private final GroupCommitter committer;
    private final SearchIndexer indexer;
    private final ConcurrentLinkedDeque<Connection> idleReaders = new ConcurrentLinkedDeque<>();
    private final int schemaVersionBefore;
    private volatile boolean closed;

    private SqliteMessageStore(StoreSettings settings, Connection writeConnection, int schemaVersionBefore) {
        this.settings = settings;
        this.file = settings.file();
        this.schemaVersionBefore = schemaVersionBefore;
        this.committer = new GroupCommitter(writeConnection, this::openWriter, file, settings.maxBatch(),
                settings.hook(), settings.log());
        this.indexer = settings.readOnly() || !settings.indexing() ? null
                : new SearchIndexer(committer, settings.log(), indexedThrough(writeConnection));
    }

    /** After {@link #open} is done with the write connection: from here on only the committer uses it. */
    private SqliteMessageStore started() {
        if (indexer != null) {
            indexer.start();
        }
        return this;
    }

    private static long indexedThrough(Connection c) {
        try {
            return SearchIndexer.mark(c);
        } catch (SQLException e) {
            return 0; // the indexer reads it again in its first request
        }
    }

    /** The highest seq in the search index (tests wait for the indexer with it). */
    long indexedThrough() {
        return indexer == null ? 0 : indexer.indexedThrough();
    }

    /**
     * Opens (creating when missing) the database and brings its schema up to date.
     *
     * @throws StoreException when the file cannot be opened or migrated; the reason names the file
     */
    static SqliteMessageStore open(StoreSettings settings) throws StoreException {
        Path file = settings.file().toAbsolutePath();
        StoreSettings absolute = new StoreSettings(file, settings.maxBatch(), settings.schema(), settings.clock(),
                settings.hook(), settings.log(), settings.readOnly(), settings.indexing());
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of the message store: " + file.getParent() + " ("
                    + e + ")", e);
        }
        Connection writer = null;
        try {
            writer = openWriter(absolute);
            int before = absolute.schema().migrate(writer);
            SqliteMessageStore store = new SqliteMessageStore(absolute, writer, before);
            absolute.log().info("message store open: " + file + " (schema version " + absolute.schema().latest()
                    + (before == absolute.schema().latest() ? "" : ", migrated from " + before) + ", SQLite "
                    + writer.getMetaData().getDatabaseProductVersion() + ", journal " + journalMode(writer) + ")");
            return store.started();
        } catch (SQLException e) {
            closeQuietly(writer);
            String reason = Faults.isFault(e) ? Faults.reason(e, file)
                    : "cannot open the message store " + file + ": " + e.getMessage();
            throw new StoreException(reason, e);
        }
    }

    /** The schema version the file had when this store opened it (0 for a new file). */
    int schemaVersionBefore() {
        return schemaVersionBefore;
    }

    /** Synced commits so far. */
    long commits() {
        return committer.commits();
    }

    /** Write requests waiting for the writer. */
    int pendingWrites() {
        return committer.pending();
    }

    /** Runs {@code work} as one write request (tests use it to reach the write connection). */
    <T> T write(GroupCommitter.Work<T> work) throws StoreException {
        return committer.submit(work);
    }

    private Connection openWriter() throws SQLException {
        return openWriter(settings);
    }

    /**
     * The write connection: WAL (readers see the last commit and never block the writer, the writer
     * never blocks them); {@code synchronous=FULL} syncs the WAL at every commit, so a commit that
     * returned survives a power cut, not only a crash of this process; foreign keys on (none yet, so
     * future migrations get them enforced); a busy timeout for another process holding the lock.
     */
    private static Connection openWriter(StoreSettings settings) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        if (settings.readOnly()) {
            config.setReadOnly(true);
        }
        return dataSource(settings.file(), config).getConnection();
    }

    /** A read connection: {@code query_only}, so a bug can never write through it. */
    private Connection openReader() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        Connection connection = dataSource(file, config).getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            closeQuietly(connection);
            throw e;
        }
        return connection;
    }

    private static SQLiteDataSource dataSource(Path file, SQLiteConfig config) {
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    private static String journalMode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
            return rs.next() ? rs.getString(1) : "?";
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public List<StoredMessage> add(List<StoredMessage> messages) throws StoreException {
        List<StoredMessage> given = List.copyOf(messages);
        given.forEach(SqliteMessageStore::check);
        if (given.isEmpty()) {
            checkOpen();
            return List.of();
        }
        long now = settings.clock().millis();
        List<StoredMessage> stored = committer.submit(connection -> insert(connection, given, now));
        if (indexer != null && !stored.isEmpty()) {
            indexer.committed(stored.stream().mapToLong(StoredMessage::seq).max().getAsLong());
        }
        return stored;
    }

    private static long[] seqsAbove(Connection c, long last) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT seq FROM messages WHERE seq > ? ORDER BY seq")) {
            select.setLong(1, last);
            List<Long> seqs = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
            }
            return seqs.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** The last seq AUTOINCREMENT gave out (0 before the first row). */
    private static long lastSeq(Connection c) throws SQLException {
        try (Statement statement = c.createStatement();
                ResultSet rs = statement.executeQuery("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void check(StoredMessage m) {
        Objects.requireNonNull(m.id(), "id");
        Objects.requireNonNull(m.peer(), "peer");
        Objects.requireNonNull(m.from(), "from");
        Objects.requireNonNull(m.to(), "to");
        Objects.requireNonNull(m.text(), "text");
        Objects.requireNonNull(m.sent(), "sent");
        Objects.requireNonNull(m.state(), "state");
    }

    /**
     * One batch statement for the rows (sqlite-jdbc runs it without a JDBC round per row), then one
     * query for their seqs: this connection is the only writer, so the rows above the sequence
     * before the batch are this request's, in order (no {@code last_insert_rowid()} query per row; a
     * skipped duplicate may use up a seq, so they are read, not counted). A row already stored (same
     * peer, direction and id) is looked up instead.
     */
    private static List<StoredMessage> insert(Connection c, List<StoredMessage> messages, long now)
            throws SQLException {
        List<StoredMessage> stored = new ArrayList<>(messages.size());
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO messages (id, peer, outgoing, from_name, "
                + "to_name, text, text_folded, sent, received, delivered, state, reason, stored) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (peer, outgoing, id) DO NOTHING");
                PreparedStatement existing = c.prepareStatement(
                        "SELECT " + COLUMNS + " FROM messages WHERE peer = ? AND outgoing = ? AND id = ?")) {
            long last = lastSeq(c);
            for (StoredMessage m : messages) {
                insert.setString(1, m.id());
                insert.setString(2, m.peer());
                insert.setInt(3, m.outgoing() ? 1 : 0);
                insert.setString(4, m.from());
                insert.setString(5, m.to());
                insert.setString(6, m.text());
                insert.setString(7, TextFold.fold(m.text()));
                insert.setLong(8, m.sent().toEpochMilli());
                setMillis(insert, 9, m.received());
                setMillis(insert, 10, m.delivered());
                insert.setString(11, m.state().name());
                insert.setString(12, m.reason() == null ? "" : m.reason());
                insert.setLong(13, now);
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            long[] seqs = seqsAbove(c, last);
            int next = 0;
            for (int i = 0; i < messages.size(); i++) {
                StoredMessage m = messages.get(i);
                if (counts[i] == 1) {
                    if (next == seqs.length) {
                        throw new SQLException("fewer new rows than inserted: " + seqs.length);
                    }
                    long seq = seqs[next++];
                    stored.add(new StoredMessage(seq, m.id(), m.peer(), m.outgoing(), m.from(), m.to(), m.text(),
                            millis(m.sent()), millis(m.received()), millis(m.delivered()), m.state(),
                            m.reason() == null ? "" : m.reason()));
                } else {
                    existing.setString(1, m.peer());
                    existing.setInt(2, m.outgoing() ? 1 : 0);
                    existing.setString(3, m.id());
                    try (ResultSet rs = existing.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("message " + m.id() + " with " + m.peer()
                                    + " was neither inserted nor found");
                        }
                        stored.add(message(rs));
                    }
                }
            }
            if (next != seqs.length) {
                throw new SQLException("more new rows (" + seqs.length + ") than inserted (" + next + ")");
            }
        }
        return List.copyOf(stored);
    }

    @Override
    public void update(List<StateChange> changes) throws StoreException {
        List<StateChange> given = List.copyOf(changes);
        given.forEach(change -> Objects.requireNonNull(change.state(), "state"));
        if (given.isEmpty()) {
            checkOpen();
            return;
        }
        committer.submit(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE messages SET state = ?, reason = ?, "
                    + "delivered = CASE WHEN ? THEN ? ELSE delivered END WHERE seq = ?")) {
                for (StateChange change : given) {
                    boolean delivered = change.state() == DeliveryStatus.DELIVERED;
                    update.setString(1, change.state().name());
                    update.setString(2, change.reason() == null ? "" : change.reason());
                    update.setBoolean(3, delivered && change.at() != null);
                    setMillis(update, 4, change.at());
                    update.setLong(5, change.seq());
                    update.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public void seen(String name, Instant at) throws StoreException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(at, "at");
        if (name.isBlank()) {
            throw new IllegalArgumentException("blank contact name");
        }
        committer.submit(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO contacts (name, last_seen) "
                    + "VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET name = excluded.name, "
                    + "last_seen = MAX(COALESCE(last_seen, excluded.last_seen), excluded.last_seen)")) {
                upsert.setString(1, name);
                upsert.setLong(2, at.toEpochMilli());
                upsert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<String> fault() {
        return committer.fault();
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException(GroupCommitter.CLOSED);
        }
    }

    // ---------------------------------------------------------------- reads

    /** A read on a pooled connection; on any error (or when closed) logs and returns {@code fallback}. */
    private interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(String what, T fallback, Read<T> read) {
        if (closed) {
            return fallback;
        }
        Connection connection = idleReaders.pollFirst();
        try {
            if (connection == null) {
                connection = openReader();
            }
            T result = read.run(connection);
            release(connection);
            return result;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            settings.log().warn("message store: " + what + " failed, answering with nothing: " + e.getMessage(), e);
            return fallback;
        }
    }

    private void release(Connection connection) {
        if (closed || idleReaders.size() >= MAX_IDLE_READERS) {
            closeQuietly(connection);
            return;
        }
        idleReaders.addFirst(connection);
        if (closed && idleReaders.remove(connection)) { // closed meanwhile: close() may have missed it
            closeQuietly(connection);
        }
    }

    @Override
    public Optional<StoredMessage> get(long seq) {
        return read("get", Optional.empty(), c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM messages WHERE seq = ?")) {
                select.setLong(1, seq);
                List<StoredMessage> found = messages(select, 1);
                return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
            }
        });
    }

    @Override
    public List<StoredMessage> conversation(String peer, long beforeSeq, int limit) {
        if (peer == null || limit <= 0) {
            return List.of();
        }
        return read("conversation", List.of(), c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT * FROM (SELECT " + COLUMNS
                    + " FROM messages WHERE peer = ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq")) {
                select.setString(1, peer);
                select.setLong(2, beforeSeq);
                select.setInt(3, limit);
                return messages(select, limit);
            }
        });
    }

    @Override
    public long count(String peer) {
        if (peer == null) {
            return 0;
        }
        return read("count", 0L, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM messages WHERE peer = ?")) {
                select.setString(1, peer);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public List<StoredMessage> outbox() {
        return read("outbox", List.of(), c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM messages "
                    + "WHERE outgoing = 1 AND state IN ('QUEUED', 'SENDING') ORDER BY seq")) {
                return messages(select, Integer.MAX_VALUE);
            }
        });
    }

    /**
     * Exactly the messages whose text contains {@code text} ignoring case ({@link TextFold}), newest
     * first. Rows the indexer has not reached yet (above {@code search_state.indexed_through}, read in
     * the same snapshot) are scanned with LIKE first, being the newest; then queries of three or more
     * code points go through the trigram index, shorter ones scan the rest with LIKE. Both look at the
     * folded text, and every candidate is checked again in Java, so every path gives the same answer.
     */
    @Override
    public List<StoredMessage> search(String text, String peer, int limit) {
        if (text == null || limit <= 0) {
            return List.of();
        }
        String query = TextFold.fold(text);
        boolean indexed = query.codePointCount(0, query.length()) >= 3;
        String like = TextFold.likeContains(query);
        String peerFilter = peer == null ? "" : " AND peer = ?";
        return read("search", List.of(), c -> {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // one snapshot for the mark and both queries
            try {
                List<StoredMessage> found = new ArrayList<>();
                long mark = indexed ? SearchIndexer.mark(c) : 0;
                try (PreparedStatement tail = c.prepareStatement("SELECT " + COLUMNS + ", text_folded FROM messages "
                        + "WHERE seq > ? AND text_folded LIKE ? ESCAPE '\\'" + peerFilter + " ORDER BY seq DESC")) {
                    tail.setLong(1, mark);
                    tail.setString(2, like);
                    if (peer != null) {
                        tail.setString(3, peer);
                    }
                    collect(tail, query, limit, found);
                }
                if (indexed && found.size() < limit) {
                    // the index hands rowids newest first and the loop stops at the limit (ORDER BY m.seq
                    // made SQLite fetch and sort every match first: 0.9 s for "the" in 1M messages)
                    try (PreparedStatement select = c.prepareStatement("SELECT m.seq, m.id, m.peer, m.outgoing, "
                            + "m.from_name, m.to_name, m.text, m.sent, m.received, m.delivered, m.state, m.reason, "
                            + "m.text_folded FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid "
                            + "WHERE messages_fts MATCH ? AND messages_fts.rowid <= ?"
                            + (peer == null ? "" : " AND m.peer = ?") + " ORDER BY messages_fts.rowid DESC")) {
                        select.setString(1, TextFold.ftsPhrase(query));
                        select.setLong(2, mark);
                        if (peer != null) {
                            select.setString(3, peer);
                        }
                        collect(select, query, limit, found);
                    }
                }
                return List.copyOf(found);
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        });
    }

    /** Adds the rows whose folded text (column 13) really contains the query, up to the limit. */
    private static void collect(PreparedStatement select, String query, int limit, List<StoredMessage> found)
            throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            while (found.size() < limit && rs.next()) {
                if (rs.getString(13).contains(query)) {
                    found.add(message(rs));
                }
            }
        }
    }

    @Override
    public List<StoredContact> contacts() {
        return read("contacts", List.of(), c -> {
            Map<String, StoredContact> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            try (Statement statement = c.createStatement()) {
                // a bare column beside MAX() comes from the row holding the maximum: the latest spelling
                try (ResultSet rs = statement.executeQuery(
                        "SELECT peer, MAX(stored) FROM messages GROUP BY peer")) {
                    while (rs.next()) {
                        byName.put(rs.getString(1), new StoredContact(rs.getString(1), null, instant(rs, 2)));
                    }
                }
                try (ResultSet rs = statement.executeQuery("SELECT name, last_seen FROM contacts")) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        StoredContact messaged = byName.remove(name);
                        byName.put(name, new StoredContact(name, instant(rs, 2),
                                messaged == null ? null : messaged.lastMessage()));
                    }
                }
            }
            return List.copyOf(byName.values());
        });
    }

    private static List<StoredMessage> messages(PreparedStatement select, int limit) throws SQLException {
        List<StoredMessage> found = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (found.size() < limit && rs.next()) {
                found.add(message(rs));
            }
        }
        return List.copyOf(found);
    }

    /** A message from the first twelve columns, in the order of {@link #COLUMNS}. */
    private static StoredMessage message(ResultSet rs) throws SQLException {
        return new StoredMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4) == 1, rs.getString(5),
                rs.getString(6), rs.getString(7), instant(rs, 8), instant(rs, 9), instant(rs, 10),
                DeliveryStatus.valueOf(rs.getString(11)), rs.getString(12));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    private static void setMillis(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, java.sql.Types.INTEGER);
        } else {
            statement.setLong(index, at.toEpochMilli());
        }
    }

    private static Instant millis(Instant at) {
        return at == null ? null : Instant.ofEpochMilli(at.toEpochMilli());
    }

    // ---------------------------------------------------------------- life cycle

    /** Finishes the writes already submitted, then closes every connection. Later writes throw. */
    void close() {
        if (indexer != null) {
            indexer.stop();
        }
        closed = true;
        committer.close();
        for (Connection c; (c = idleReaders.pollFirst()) != null;) {
            closeQuietly(c);
        }
        settings.log().info("message store closed: " + file);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing more to do with it
            }
        }
    }
}
