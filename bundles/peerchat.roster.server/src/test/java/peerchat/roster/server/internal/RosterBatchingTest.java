package peerchat.roster.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.StatusText;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;

/**
 * Deltas coalesced per tick and shared by everyone; a client that stops reading falls behind alone
 * and gets a fresh snapshot when it reads again (or is disconnected when it never does).
 */
public class RosterBatchingTest {

    private final RecordingLog log = new RecordingLog();
    private RosterServerEngine server;

    private int start(ServerSettings settings) throws IOException {
        server = new RosterServerEngine(log, settings);
        return server.start("127.0.0.1", 0).address().port();
    }

    @After
    public void stop() {
        if (server != null) {
            server.stop();
        }
        // the drain threads (daemons) end by themselves: their sockets are closed, and a read blocked
        // with a timeout ends at the latest when FrameSocket's 5 s read timeout expires
    }

    @Test
    public void joinsAndPresenceChangesOfOneTickAreOneBatchAndOneSnapshot() throws IOException {
        // a long tick, so that five logins sent back to back surely fall into one
        int port = start(ServerSettings.DEFAULTS.withDeltaBatching(Duration.ofMillis(1000), Duration.ofSeconds(30))
                .withRequestRate(0, 1));
        List<FrameSocket> newcomers = new ArrayList<>();
        try (FrameSocket alice = new FrameSocket(port)) {
            alice.login("alice", 6001);
            long[] before = server.batchCounters();
            for (int i = 0; i < 5; i++) {
                newcomers.add(new FrameSocket(port));
            }
            for (int i = 0; i < 5; i++) {
                newcomers.get(i).send(new Frame.Hello("user" + i, 7000 + i));
            }
            for (FrameSocket newcomer : newcomers) {
                List<WireEntry> roster = newcomer.expect(Frame.Snapshot.class).entries();
                assertEquals("every newcomer gets the roster as it is when the tick ends", 6, roster.size());
            }
            java.util.Set<String> joined = new java.util.TreeSet<>();
            for (int i = 0; i < 5; i++) {
                joined.add(alice.expect(Frame.Joined.class).entry().name());
            }
            assertEquals(java.util.Set.of("user0", "user1", "user2", "user3", "user4"), joined);
            long[] after = server.batchCounters();
            assertEquals("five JOINED frames in one batch", before[0] + 1, after[0]);
            assertEquals("one snapshot encoded for all five newcomers", before[1] + 1, after[1]);

            // three presence changes in one tick: one batch, the same order for everyone (senders too)
            for (int i = 0; i < 3; i++) {
                newcomers.get(i).send(new Frame.SetPresence(WirePresence.AWAY, "away " + i));
            }
            List<List<WireEntry>> seen = new ArrayList<>();
            for (FrameSocket client : List.of(alice, newcomers.get(0), newcomers.get(4))) {
                List<WireEntry> changes = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    WireEntry changed = client.expect(Frame.PresenceChanged.class).entry();
                    assertEquals("away " + changed.name().substring(4), changed.status());
                    changes.add(changed);
                }
                seen.add(changes);
            }
            assertEquals(3, seen.get(0).stream().map(WireEntry::name).distinct().count());
            assertEquals(seen.get(0), seen.get(1));
            assertEquals(seen.get(0), seen.get(2));
            assertEquals(after[0] + 1, server.batchCounters()[0]);
            assertEquals(0, server.batchCounters()[2]);
        } finally {
            for (FrameSocket newcomer : newcomers) {
                newcomer.close();
            }
        }
    }

    @Test
    public void presenceChangedBeforeTheSnapshotIsConfirmedAfterIt() throws IOException {
        int port = start(ServerSettings.DEFAULTS.withDeltaBatching(Duration.ofMillis(300), Duration.ofSeconds(30)));
        try (FrameSocket bob = new FrameSocket(port)) {
            bob.send(new Frame.Hello("bob", 6002));
            bob.send(new Frame.SetPresence(WirePresence.BUSY, "call"));
            WireEntry busy = new WireEntry("bob", "127.0.0.1", 6002, WirePresence.BUSY, "call", false);
            assertEquals(List.of(busy), bob.expect(Frame.Snapshot.class).entries());
            assertEquals(new Frame.PresenceChanged(busy), bob.next());
        }
    }

    @Test
    public void clientThatStopsReadingFallsBehindAloneAndGetsAFreshSnapshotWhenItReadsAgain() throws Exception {
        int port = start(ServerSettings.DEFAULTS.withMaxQueuedBytes(64 * 1024).withRequestRate(0, 1)
                .withDeltaBatching(Duration.ofMillis(5), Duration.ofSeconds(30)));
        try (FrameSocket alice = new FrameSocket(port); FrameSocket sloth = new FrameSocket(port, 4096);
                FrameSocket churn = new FrameSocket(port)) {
            alice.login("alice", 6001);
            sloth.login("sloth", 6002);
            churn.login("churn", 6003);
            drain(churn); // churn reads (and ignores) its own confirmations
            // alice reads everything as it comes, until churn's last change
            CompletableFuture<Integer> aliceSawFinal = CompletableFuture.supplyAsync(() -> readUntilFinal(alice));

            String status = "x".repeat(StatusText.MAX_LENGTH);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int sent = 0;
            // sloth reads nothing: send changes until its queue overflows (bounded: 40,000 or 20 s)
            while (!log.contains("INFO sloth (127.0.0.1) is not reading its roster updates") && sent < 40_000
                    && System.nanoTime() < deadline) {
                for (int i = 0; i < 20; i++) {
                    churn.send(new Frame.SetPresence(sent++ % 2 == 0 ? WirePresence.AWAY : WirePresence.BUSY, status));
                }
                Thread.sleep(5); // about 4,000 changes a second: alice keeps up even on a busy machine
            }
            assertTrue("sloth's queue never overflowed after " + sent + " changes",
                    log.contains("INFO sloth (127.0.0.1) is not reading its roster updates"));
            churn.send(new Frame.SetPresence(WirePresence.ONLINE, "final"));

            int aliceFrames = aliceSawFinal.get(10, TimeUnit.SECONDS);
            assertTrue("alice got every change: " + aliceFrames + " of " + (sent + 1), aliceFrames >= sent + 1);
            assertFalse("alice kept up", log.contains("alice (127.0.0.1) is not reading"));
            assertTrue("sloth is slow, not gone", server.info().clients().contains("sloth"));

            // sloth reads again: whatever was on its way, then a snapshot with churn's latest state
            WireEntry latest = null;
            for (int frames = 0; frames < 100_000 && latest == null; frames++) {
                Frame frame = sloth.next();
                assertNotNull("sloth was disconnected", frame);
                if (frame instanceof Frame.Snapshot snapshot && !snapshot.more()) {
                    latest = snapshot.entries().stream().filter(e -> e.name().equals("churn")).findFirst()
                            .orElseThrow();
                }
            }
            assertNotNull("no fresh snapshot for sloth", latest);
            assertEquals("final", latest.status());
            assertEquals(3, server.info().clients().size());
            assertFalse(server.info().rejects().containsKey("slow_reader"));

            // and it is back on deltas
            alice.send(new Frame.SetPresence(WirePresence.BUSY, "after"));
            assertEquals(new Frame.PresenceChanged(new WireEntry("alice", "127.0.0.1", 6001, WirePresence.BUSY,
                    "after", false)), sloth.next());
        }
    }

    @Test
    public void clientThatNeverReadsAgainIsDisconnectedAfterTheSlowReaderTimeout() throws Exception {
        int port = start(ServerSettings.DEFAULTS.withMaxQueuedBytes(64 * 1024).withRequestRate(0, 1)
                .withDeltaBatching(Duration.ofMillis(5), Duration.ofMillis(500)));
        try (FrameSocket alice = new FrameSocket(port); FrameSocket sloth = new FrameSocket(port, 4096);
                FrameSocket churn = new FrameSocket(port)) {
            alice.login("alice", 6001);
            sloth.login("sloth", 6002);
            churn.login("churn", 6003);
            drain(churn);
            drain(alice);
            String status = "y".repeat(StatusText.MAX_LENGTH);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int sent = 0;
            while (server.info().clients().contains("sloth") && sent < 40_000 && System.nanoTime() < deadline) {
                for (int i = 0; i < 20; i++) {
                    churn.send(new Frame.SetPresence(sent++ % 2 == 0 ? WirePresence.AWAY : WirePresence.BUSY, status));
                }
                Thread.sleep(1);
            }
            assertFalse("sloth still in the roster after " + sent + " changes",
                    server.info().clients().contains("sloth"));
            assertEquals(Long.valueOf(1), server.info().rejects().get("slow_reader"));
            assertEquals(List.of("alice", "churn"), server.info().clients());
        }
    }

    /** Reads frames until churn's PRESENCE_CHANGED "final"; returns how many PRESENCE_CHANGED came. */
    private static int readUntilFinal(FrameSocket client) {
        int changes = 0;
        try {
            while (true) {
                Frame frame = client.next();
                if (frame == null) {
                    throw new IllegalStateException("connection ended after " + changes + " changes");
                }
                if (frame instanceof Frame.PresenceChanged changed && changed.entry().name().equals("churn")) {
                    changes++;
                    if (changed.entry().status().equals("final")) {
                        return changes;
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and discards a client's input on a thread of its own until the socket closes. */
    private void drain(FrameSocket client) throws IOException {
        InputStream in = client.input();
        Thread thread = new Thread(() -> {
            byte[] sink = new byte[16 * 1024];
            try {
                while (in.read(sink) >= 0) {
                    // discarded
                }
            } catch (IOException e) {
                // the test closed the socket (or its read timed out): done
            }
        }, "drain");
        thread.setDaemon(true);
        thread.start();
    }
}
