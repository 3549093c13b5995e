package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.testing.PeerProcess;

/**
 * A third-party plugin as a user installs it: the away auto-responder example
 * ({@code examples/peerchat.example.away}) copied into bob's plugins folder before he starts the
 * built distribution. While bob is away, alice's first message gets the automatic answer over the
 * real transport, her second does not, and once bob is back and away again she is answered again.
 */
public class ExamplePluginsIT {

    private static final String REPLY = "[auto-reply] bob is away and will answer later.";

    @Rule
    public TemporaryFolder data = new TemporaryFolder();

    private final Path home = Path.of(System.getProperty("peerchat.home", "target/peerchat"));
    private final Path awayJar = Path.of(System.getProperty("peerchat.example.away.jar",
            "../examples/peerchat.example.away/target/peerchat.example.away-0.1.0-SNAPSHOT.jar"));

    @Test
    public void theAwayPluginAnswersOncePerPeerWhileAway() throws Exception {
        assertTrue("example plugin built: " + awayJar, Files.isRegularFile(awayJar));
        Path bobData = data.newFolder("bob").toPath();
        Files.createDirectories(bobData.resolve("plugins"));
        Files.copy(awayJar, bobData.resolve("plugins").resolve(awayJar.getFileName()));
        String server = "127.0.0.1:" + freeTcpPort();
        try (PeerProcess alice = PeerProcess.start(home, "alice", "--server", server, "--connect", server,
                "--name", "alice", "--data", data.newFolder("alice").toString());
                PeerProcess bob = PeerProcess.start(home, "bob", "--connect", server, "--name", "bob",
                        "--data", bobData.toString())) {
            bob.runUntil("lb peerchat.example.away", lines -> lines.stream().anyMatch(l -> l.contains("Active")), 30);
            bob.run("chat:status away back at 3", 10);
            alice.runUntil("chat:roster", lines -> lines.stream().anyMatch(l -> l.startsWith("bob ")
                    && l.contains("away")), 30);

            assertEquals(List.of("delivered bob"), alice.run("chat:send bob \"are you there?\"", 60));
            alice.runUntil("chat:history bob", lines -> lines.stream().anyMatch(l -> l.endsWith("bob -> alice: "
                    + REPLY)), 30);
            assertEquals(List.of("delivered bob"), alice.run("chat:send bob hello again", 60));
            Thread.sleep(1000);
            assertEquals("answered once per peer", 1, replies(alice));

            bob.run("chat:status online", 10);
            alice.runUntil("chat:roster", lines -> lines.stream().anyMatch(l -> l.startsWith("bob ")
                    && l.contains("online")), 30);
            bob.run("chat:status away", 10);
            alice.runUntil("chat:roster", lines -> lines.stream().anyMatch(l -> l.startsWith("bob ")
                    && l.contains("away")), 30);
            assertEquals(List.of("delivered bob"), alice.run("chat:send bob \"and now?\"", 60));
            alice.runUntil("chat:history bob", lines -> countReplies(lines) == 2, 30);
        }
    }

    private static int replies(PeerProcess alice) throws IOException, InterruptedException {
        return countReplies(alice.run("chat:history bob", 10));
    }

    private static int countReplies(List<String> history) {
        return (int) history.stream().filter(line -> line.endsWith("bob -> alice: " + REPLY)).count();
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
