package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.testing.PeerProcess;

/**
 * The built distribution as real processes on loopback: alice hosts the roster server, bob joins,
 * they chat peer to peer over UDP, and bob's crash is noticed.
 */
public class EndToEndIT {

    @Rule
    public TemporaryFolder data = new TemporaryFolder();

    private final Path home = Path.of(System.getProperty("peerchat.home", "target/peerchat"));

    @Test
    public void twoPeersChatThroughTheDistribution() throws Exception {
        int port = freeTcpPort();
        String server = "127.0.0.1:" + port;
        try (PeerProcess alice = PeerProcess.start(home, "alice", "--server", server, "--connect", server,
                "--name", "alice", "--data", data.newFolder("alice").toString())) {
            alice.runUntil("chat:roster", lines -> matchesAll(lines, "alice 127\\.0\\.0\\.1:\\d+ online"), 30);

            try (PeerProcess bob = PeerProcess.start(home, "bob", "--connect", server, "--name", "bob",
                    "--data", data.newFolder("bob").toString())) {
                List<String> roster = alice.runUntil("chat:roster", lines -> lines.size() == 2, 30);
                assertTrue(roster.toString(), matchesAll(roster,
                        "alice 127\\.0\\.0\\.1:\\d+ online", "bob 127\\.0\\.0\\.1:\\d+ online"));

                assertEquals(List.of("delivered bob"), alice.run("chat:send bob hello bob, from alice", 60));

                List<String> history = bob.runUntil("chat:history alice",
                        lines -> lines.stream().anyMatch(line -> line.contains("alice -> bob:")), 10);
                assertTrue(history.toString(), matchesAll(history,
                        "\\d\\d:\\d\\d:\\d\\d alice -> bob: hello bob, from alice"));

                // typed text reaches the peer as typed, whatever its script
                assertEquals(List.of("delivered bob"), alice.run("chat:send bob Grüße € 你好", 60));
                history = bob.runUntil("chat:history alice", lines -> lines.size() == 2, 10);
                assertTrue(history.toString(), history.get(1).endsWith(" alice -> bob: Grüße € 你好"));

                bob.kill();
                List<String> after = alice.runUntil("chat:roster", lines -> lines.size() == 1, 5);
                assertTrue(after.toString(), matchesAll(after, "alice 127\\.0\\.0\\.1:\\d+ online"));
            }
            assertEquals("clean exit at end of input", 0, alice.endInput(30));
            Path log = data.getRoot().toPath().resolve("alice/log/peerchat.log");
            assertTrue("log file " + log, Files.isRegularFile(log));
            String text = Files.readString(log);
            assertTrue("the log tells that bob logged in:\n" + text, text.contains("bob"));
        }
    }

    @Test
    public void unknownRecipientIsAClearErrorAndNothingIsSent() throws Exception {
        int port = freeTcpPort();
        String server = "127.0.0.1:" + port;
        try (PeerProcess alice = PeerProcess.start(home, "alice", "--server", server, "--connect", server,
                "--name", "alice", "--data", data.newFolder("alice2").toString())) {
            alice.runUntil("chat:roster", lines -> lines.size() == 1, 30);
            assertEquals(List.of("error: unknown user: carol"), alice.run("chat:send carol hi", 10));
            assertEquals(List.of("no messages with carol"), alice.run("chat:history carol", 10));
            assertEquals(0, alice.endInput(30));
        }
    }

    /**
     * The outbox across restarts of both sides: messages to bob while he is offline are queued at
     * alice, survive her restart, and reach bob in order when he logs in again.
     */
    @Test
    public void messagesToAnOfflineContactWaitAcrossRestartsAndArriveInOrder() throws Exception {
        int port = freeTcpPort();
        String server = "127.0.0.1:" + port;
        Path aliceData = data.newFolder("alice3").toPath();
        Path bobData = data.newFolder("bob3").toPath();
        String[] aliceOptions = {"--server", server, "--connect", server, "--name", "alice", "--data",
                aliceData.toString()};
        String[] bobOptions = {"--connect", server, "--name", "bob", "--data", bobData.toString()};
        try (PeerProcess alice = PeerProcess.start(home, "alice", aliceOptions)) {
            try (PeerProcess bob = PeerProcess.start(home, "bob", bobOptions)) {
                alice.runUntil("chat:roster", lines -> lines.size() == 2, 30);
                assertEquals(List.of("delivered bob"), alice.run("chat:send bob first, while you are here", 60));
                assertEquals(0, bob.endInput(30));
            }
            alice.runUntil("chat:roster", lines -> lines.size() == 1, 30);
            assertEquals(List.of("queued bob (offline)"), alice.run("chat:send bob one", 30));
            assertEquals(List.of("queued bob (offline)"), alice.run("chat:send bob two", 30));
            List<String> contacts = alice.run("chat:contacts", 10);
            assertTrue(contacts.toString(), matchesAll(contacts, "bob offline last seen \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z"));
            assertEquals(0, alice.endInput(30));
        }
        try (PeerProcess alice = PeerProcess.start(home, "alice", aliceOptions)) {
            List<String> waiting = alice.run("chat:history bob", 10);
            assertTrue(waiting.toString(), matchesAll(waiting, "\\d\\d:\\d\\d:\\d\\d alice -> bob: first, while you are here",
                    "\\d\\d:\\d\\d:\\d\\d alice -> bob: one \\[queued\\]", "\\d\\d:\\d\\d:\\d\\d alice -> bob: two \\[queued\\]"));
            assertEquals(List.of("queued bob (offline)"), alice.run("chat:send bob three", 30));
            try (PeerProcess bob = PeerProcess.start(home, "bob", bobOptions)) {
                List<String> received = bob.runUntil("chat:history alice", lines -> lines.size() == 4, 60);
                assertTrue(received.toString(), matchesAll(received,
                        "\\d\\d:\\d\\d:\\d\\d alice -> bob: first, while you are here",
                        "\\d\\d:\\d\\d:\\d\\d alice -> bob: one", "\\d\\d:\\d\\d:\\d\\d alice -> bob: two",
                        "\\d\\d:\\d\\d:\\d\\d alice -> bob: three"));
                alice.runUntil("chat:history bob", lines -> lines.stream().noneMatch(line -> line.endsWith("]")), 30);
            }
        }
    }

    /** Every pattern matches one line, in order, and there are no other lines. */
    private static boolean matchesAll(List<String> lines, String... patterns) {
        if (lines.size() != patterns.length) {
            return false;
        }
        for (int i = 0; i < patterns.length; i++) {
            if (!Pattern.matches(patterns[i], lines.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
