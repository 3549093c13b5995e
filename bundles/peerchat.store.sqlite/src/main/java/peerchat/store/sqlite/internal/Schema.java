package peerchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The schema as an ordered list of migrations, versioned with {@code PRAGMA user_version}. Opening a
 * database applies every migration above its version in one transaction (all or none), then sets the
 * version. A new schema version is one more entry at the end of {@link #MIGRATIONS}; entries are
 * never edited once released.
 */
final class Schema {

    /** Version 1: messages with a folded copy of the text for search, the trigram index, contacts. */
    static final Migration V1 = new Migration(1, "initial schema", List.of(
            """
            CREATE TABLE messages (
                seq         INTEGER PRIMARY KEY AUTOINCREMENT,
                id          TEXT    NOT NULL,
                peer        TEXT    NOT NULL COLLATE NOCASE,
                outgoing    INTEGER NOT NULL CHECK (outgoing IN (0, 1)),
                from_name   TEXT    NOT NULL,
                to_name     TEXT    NOT NULL,
                text        TEXT    NOT NULL,
                text_folded TEXT    NOT NULL,
                sent        INTEGER NOT NULL,
                received    INTEGER,
                delivered   INTEGER,
                state       TEXT    NOT NULL,
                reason      TEXT    NOT NULL DEFAULT '',
                stored      INTEGER NOT NULL,
                UNIQUE (peer, outgoing, id)
            )""",
            "CREATE INDEX messages_peer_seq ON messages (peer, seq)",
            "CREATE INDEX messages_outbox ON messages (seq) WHERE outgoing = 1 AND state IN ('QUEUED', 'SENDING')",
            """
            CREATE VIRTUAL TABLE messages_fts USING fts5 (
                text_folded, content = 'messages', content_rowid = 'seq', tokenize = 'trigram case_sensitive 0'
            )""",
            """
            CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
                INSERT INTO messages_fts (rowid, text_folded) VALUES (new.seq, new.text_folded);
            END""",
            """
            CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, text_folded) VALUES ('delete', old.seq, old.text_folded);
            END""",
            """
            CREATE TRIGGER messages_fts_update AFTER UPDATE OF text_folded ON messages BEGIN
                INSERT INTO messages_fts (messages_fts, rowid, text_folded) VALUES ('delete', old.seq, old.text_folded);
                INSERT INTO messages_fts (rowid, text_folded) VALUES (new.seq, new.text_folded);
            END""",
            """
            CREATE TABLE contacts (
                name      TEXT PRIMARY KEY COLLATE NOCASE,
                last_seen INTEGER
            )"""));

    /**
     * Version 2: new rows reach the search index in one statement per write request
     * ({@link SqliteMessageStore}) instead of a trigger per row: inside a request's savepoint the
     * trigger made FTS5 write a tiny index segment per message and merge them again and again
     * (5,200 messages/s against about 38,000 without it, docs/PERFORMANCE.md).
     */
    static final Migration V2 = new Migration(2, "search index written per request, not per row", List.of(
            "DROP TRIGGER messages_fts_insert"));

    /**
     * Version 3: the search index is written behind the writes ({@link SearchIndexer});
     * {@code search_state.indexed_through} says how far, and search scans the rows above it.
     */
    static final Migration V3 = new Migration(3, "search index written behind the writes", List.of(
            "CREATE TABLE search_state (indexed_through INTEGER NOT NULL)",
            "INSERT INTO search_state (indexed_through) SELECT IFNULL(MAX(seq), 0) FROM messages"));

    /**
     * Version 4: no automatic merges of the index's segments (one could take seconds inside a write
     * request, and a stored message waited for it); the indexer merges a bounded amount after each
     * chunk instead ({@link SearchIndexer#MERGE_PAGES}).
     */
    static final Migration V4 = new Migration(4, "bounded index merges", List.of(
            "INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 0)",
            "INSERT INTO messages_fts (messages_fts, rank) VALUES ('crisismerge', 256)"));

    /** Every migration, in order; the last one's version is the schema this code reads and writes. */
    static final List<Migration> MIGRATIONS = List.of(V1, V2, V3, V4);

    private final List<Migration> migrations;

    Schema(List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migration " + (i + 1) + " has version " + migrations.get(i).version());
            }
        }
        this.migrations = List.copyOf(migrations);
    }

    static Schema current() {
        return new Schema(MIGRATIONS);
    }

    int latest() {
        return migrations.size();
    }

    static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /**
     * Brings the database to {@link #latest()}: nothing when it is there, the missing migrations in
     * one IMMEDIATE transaction otherwise.
     *
     * @return the version the database had before
     * @throws SQLException when a migration fails (then the database is unchanged) or the database
     *                      was written by a newer schema
     */
    int migrate(Connection connection) throws SQLException {
        int found = version(connection);
        if (found > latest()) {
            throw new SQLException("the database has schema version " + found + ", newer than this store's "
                    + latest() + "; refusing to write it");
        }
        if (found == latest()) {
            return found;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                // read again inside the write lock: another process may have migrated meanwhile
                int from = version(connection);
                for (Migration migration : migrations.subList(Math.min(from, latest()), latest())) {
                    migration.apply(connection);
                }
                statement.execute("PRAGMA user_version = " + latest());
                statement.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(statement);
                throw e;
            }
        }
        return found;
    }

    static void rollbackQuietly(Statement statement) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException alreadyRolledBack) {
            // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR): nothing to undo
        }
    }
}
