package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.testing.PeerProcess;
import peerchat.transport.udp.internal.DatagramFlood;

/**
 * A stranger (an address in nobody's roster) floods bob, who runs with a 256 MB heap, with 200
 * messages of 1 MiB from 8 source ports while alice chats with him: bob keeps receiving alice's
 * messages, counts and drops the stranger's beyond the stranger limits, stores none of them, and
 * his heap is back near where it was once the flood is over.
 */
public class StrangerFloodIT {

    private static final Pattern BOB = Pattern.compile("^bob 127\\.0\\.0\\.1:(\\d+) ");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @Rule
    public TemporaryFolder data = new TemporaryFolder();

    private final Path home = Path.of(System.getProperty("peerchat.home", "target/peerchat"));

    @Test
    public void aFloodFromAStrangerNeitherDeafensBobNorFillsHisHeap() throws Exception {
        String server = "127.0.0.1:" + freeTcpPort();
        try (PeerProcess alice = PeerProcess.start(home, "alice", "--server", server, "--connect", server,
                "--name", "alice", "--data", data.newFolder("alice").toString());
                PeerProcess bob = PeerProcess.start(home, "bob", Map.of("PEERCHAT_JAVA_OPTS", "-Xmx256m"),
                        "--connect", server, "--name", "bob", "--data", data.newFolder("bob").toString())) {
            List<String> roster = alice.runUntil("chat:roster", lines -> lines.size() == 2, 30);
            int bobPort = roster.stream().map(BOB::matcher).filter(Matcher::find)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElseThrow();
            assertEquals(List.of("delivered bob"), alice.run("chat:send bob before the flood", 60));
            long baseline = usedHeapAfterGc(bob);

            CompletableFuture<Long> flood = CompletableFuture.supplyAsync(() -> {
                try {
                    return DatagramFlood.send(new InetSocketAddress("127.0.0.1", bobPort), 8, 200, 1 << 20, 42);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            int during = 0;
            while (!flood.isDone() && during < 50) {
                during++;
                assertEquals(List.of("delivered bob"), alice.run("chat:send bob during the flood " + during, 60));
            }
            long datagrams = flood.get(120, TimeUnit.SECONDS);
            assertEquals(List.of("delivered bob"), alice.run("chat:send bob after the flood", 60));

            List<String> history = bob.runUntil("chat:history alice 100",
                    lines -> lines.stream().anyMatch(line -> line.endsWith("after the flood")), 30);
            assertEquals(during + 2, history.size());
            List<String> stats = bob.run("chat:stats", 10);
            Matcher dropped = Pattern.compile("strangers dropped (\\d+)").matcher(String.join("\n", stats));
            assertTrue(stats.toString(), dropped.find());
            assertTrue("the stranger's datagrams were dropped: " + stats, Long.parseLong(dropped.group(1)) > 0);
            assertEquals("nothing from the stranger is a contact", List.of("alice online"),
                    bob.run("chat:contacts", 10));

            long after = usedHeapAfterGc(bob);
            System.err.printf("[StrangerFloodIT] %,d datagrams, %d of alice's messages during the flood; bob's heap"
                    + " %,d KB before, %,d KB after%n", datagrams, during, baseline, after);
            assertTrue("bob's heap back near its baseline: " + baseline + " KB before, " + after + " KB after",
                    after <= baseline + 32 * 1024);
            String log = Files.readString(data.getRoot().toPath().resolve("bob/log/peerchat.log"));
            assertFalse("no OutOfMemoryError in bob's log", log.contains("OutOfMemoryError"));
            assertEquals(0, bob.endInput(30));
        }
    }

    /** Bob's used heap in KB after a full GC, from {@code jcmd} of the JDK that runs the tests. */
    private static long usedHeapAfterGc(PeerProcess peer) throws Exception {
        jcmd(peer, "GC.run");
        String info = jcmd(peer, "GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        assertTrue(info, used.find());
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(PeerProcess peer, String command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(peer.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue("jcmd " + command + " did not end", process.waitFor(60, TimeUnit.SECONDS));
        return output;
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
