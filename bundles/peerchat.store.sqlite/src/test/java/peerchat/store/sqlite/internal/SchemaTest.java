package peerchat.store.sqlite.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static peerchat.store.sqlite.internal.Messages.incoming;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.api.store.StoreException;
import peerchat.api.store.StoredMessage;

public class SchemaTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** A made-up version 2, as a real one would be written: one more entry after V1. */
    /** A migration after the real ones, as the next version of the product would add it. */
    private static final Migration NEXT = new Migration(Schema.MIGRATIONS.size() + 1, "pinned messages", List.of(
            "ALTER TABLE messages ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0",
            "CREATE INDEX messages_pinned ON messages (peer, seq) WHERE pinned = 1"));

    private static final Migration BROKEN_V2 = new Migration(2, "fails halfway", List.of(
            "CREATE TABLE half_done (x INTEGER)",
            "THIS IS NOT SQL"));

    @Test
    public void aNewFileGetsTheLatestVersion() throws Exception {
        Path file = folder.getRoot().toPath().resolve("new.db");
        SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file));
        store.close();
        assertEquals(0, store.schemaVersionBefore());
        assertEquals(Schema.MIGRATIONS.size(), version(file));
    }

    @Test
    public void anOlderDatabaseIsMigratedAndKeepsItsMessages() throws Exception {
        Path file = folder.getRoot().toPath().resolve("old.db");
        SqliteMessageStore v1 = SqliteMessageStore.open(StoreSettings.of(file).withSchema(new Schema(List.of(Schema.V1))));
        StoredMessage stored = v1.add(List.of(incoming("1", "bob", "written by version 1"))).get(0);
        v1.close();
        assertEquals(1, version(file));

        SqliteMessageStore v2 = SqliteMessageStore.open(StoreSettings.of(file).withSchema(withNext()));
        try {
            assertEquals(1, v2.schemaVersionBefore());
            assertEquals(NEXT.version(), version(file));
            assertEquals(List.of(stored), v2.conversation("bob", Long.MAX_VALUE, 10));
            assertEquals(List.of(stored), v2.search("VERSION 1", null, 10));
            StoredMessage after = v2.add(List.of(incoming("2", "bob", "written by version 2"))).get(0);
            assertTrue(after.seq() > stored.seq());
            assertTrue(columns(file).contains("pinned"));
        } finally {
            v2.close();
        }
        // opening it again migrates nothing
        SqliteMessageStore again = SqliteMessageStore.open(StoreSettings.of(file).withSchema(withNext()));
        again.close();
        assertEquals(NEXT.version(), again.schemaVersionBefore());
    }

    @Test
    public void aFailingMigrationLeavesTheDatabaseAsItWas() throws Exception {
        Path file = folder.getRoot().toPath().resolve("broken.db");
        SqliteMessageStore v1 = SqliteMessageStore.open(StoreSettings.of(file).withSchema(new Schema(List.of(Schema.V1))));
        v1.add(List.of(incoming("1", "bob", "kept")));
        v1.close();
        try {
            SqliteMessageStore.open(StoreSettings.of(file).withSchema(new Schema(List.of(Schema.V1, BROKEN_V2))));
            fail("a broken migration opened the store");
        } catch (StoreException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains(file.getFileName().toString()));
        }
        assertEquals(1, version(file));
        assertFalse(tables(file).contains("half_done"));
        SqliteMessageStore reopened = SqliteMessageStore.open(StoreSettings.of(file).withSchema(new Schema(List.of(Schema.V1))));
        assertEquals(1, reopened.count("bob"));
        reopened.close();
    }

    @Test
    public void aNewerDatabaseIsRefused() throws Exception {
        Path file = folder.getRoot().toPath().resolve("newer.db");
        SqliteMessageStore.open(StoreSettings.of(file).withSchema(withNext())).close();
        try {
            SqliteMessageStore.open(StoreSettings.of(file));
            fail("opened a database of a newer schema");
        } catch (StoreException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("newer"));
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void migrationsMustBeNumberedInOrder() {
        new Schema(List.of(NEXT));
    }

    private static Schema withNext() {
        List<Migration> all = new java.util.ArrayList<>(Schema.MIGRATIONS);
        all.add(NEXT);
        return new Schema(all);
    }

    private static int version(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return Schema.version(c);
        }
    }

    private static List<String> columns(Path file) throws SQLException {
        return names(file, "SELECT name FROM pragma_table_info('messages')");
    }

    private static List<String> tables(Path file) throws SQLException {
        return names(file, "SELECT name FROM sqlite_master WHERE type = 'table'");
    }

    private static List<String> names(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> names = new java.util.ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }
}
