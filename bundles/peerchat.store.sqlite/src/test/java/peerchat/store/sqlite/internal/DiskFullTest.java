package peerchat.store.sqlite.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static peerchat.store.sqlite.internal.Messages.incoming;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.sqlite.SQLiteConfig;

import peerchat.api.store.StoreException;
import peerchat.api.store.StoredMessage;

/**
 * A real full disk: the store on a 2 MiB tmpfs (needs root to mount; skips with the reason
 * otherwise). Writes fail with "disk full" and nothing of a failed batch is stored; once space is
 * freed, writes succeed again; every batch that was reported stored is still there, whole, after a
 * reopen, and the file passes SQLite's integrity check (no torn records).
 */
public class DiskFullTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path mount;
    private boolean mounted;

    @Before
    public void mountSmallTmpfs() throws Exception {
        mount = folder.newFolder("tmpfs").toPath();
        String why = null;
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                why = "cannot mount a tmpfs (needs root): " + output;
            }
        } catch (IOException e) {
            why = "cannot run mount: " + e.getMessage();
        }
        if (why != null) {
            System.out.println("[DiskFullTest] skipped: " + why);
            Assume.assumeTrue(why, false);
        }
        mounted = true;
    }

    @After
    public void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void aFullDiskRefusesWholeBatchesAndWritesResumeOnceThereIsRoom() throws Exception {
        Path file = mount.resolve("messages.db");
        Path filler = mount.resolve("filler");
        Files.write(filler, new byte[512 * 1024]); // freed later: the room that comes back
        List<StoredMessage> stored = new ArrayList<>();
        String text = "x".repeat(2_000);
        SqliteMessageStore store = SqliteMessageStore.open(StoreSettings.of(file));
        StoreException full = null;
        try {
            for (int batch = 0; batch < 10_000 && full == null; batch++) {
                List<StoredMessage> drafts = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    drafts.add(incoming(batch + "-" + i, "bob", batch + "-" + i + " " + text));
                }
                try {
                    stored.addAll(store.add(drafts));
                } catch (StoreException e) {
                    full = e;
                }
            }
            assertTrue("the 2 MiB file system never filled", full != null);
            assertTrue(full.getMessage(), full.getMessage().startsWith("disk full"));
            assertTrue(store.fault().orElseThrow().startsWith("disk full"));
            assertEquals("nothing of the refused batch", stored.size(), store.count("bob"));

            Files.delete(filler);
            StoredMessage after = store.add(List.of(incoming("after", "bob", "room again"))).get(0);
            assertTrue(store.fault().isEmpty());
            stored.add(after);
        } finally {
            store.close();
        }

        SqliteMessageStore reopened = SqliteMessageStore.open(StoreSettings.of(file));
        try {
            assertEquals(stored.size(), reopened.count("bob"));
            assertEquals(stored, reopened.conversation("bob", Long.MAX_VALUE, stored.size()));
        } finally {
            reopened.close();
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = config.createConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("PRAGMA integrity_check")) {
            r.next();
            assertEquals("ok", r.getString(1));
        }
    }
}
