package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every way the launcher refuses to start: exit status and the one line on stderr. None boots a framework. */
public class MainTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Distribution distribution;
    private Path data;

    @Before
    public void distribution() throws Exception {
        Path home = folder.newFolder("peerchat").toPath();
        distribution = new Distribution(home);
        TestBundles.systemBundle(distribution.systemDirectory(), "test", "core", "1.0");
        TestBundles.systemBundle(distribution.systemDirectory(), "test", "server", "1.0");
        TestBundles.feature(distribution.featuresDirectory(), "core", "test:core:1.0");
        TestBundles.feature(distribution.featuresDirectory(), "server", "test:server:1.0");
        TestBundles.feature(distribution.featuresDirectory(), "shell", "test:core:1.0");
        TestBundles.systemBundle(distribution.systemDirectory(), "test", Main.WORKBENCH, "1.0");
        TestBundles.feature(distribution.featuresDirectory(), "ui", "test:" + Main.WORKBENCH + ":1.0");
        data = folder.newFolder("data").toPath();
    }

    @Test
    public void helpGoesToStdoutWithStatus0() {
        assertEquals(0, run("--help"));
        assertTrue(stdout(), stdout().startsWith("Usage: peerchat [options]\n"));
        assertTrue(stdout(), stdout().contains("--server [HOST:]PORT"));
        assertEquals("", stderr());
    }

    @Test
    public void unknownOptionIsOneLineAndStatus2() {
        assertEquals(2, run("--foo"));
        assertEquals(List.of("peerchat: unknown option --foo (see --help)"), stderrLines());
        assertEquals("", stdout());
    }

    @Test
    public void badValueIsStatus2() {
        assertEquals(2, run("--udp-port", "many"));
        assertEquals(List.of("peerchat: option --udp-port: 'many' is not a port number (see --help)"), stderrLines());
    }

    @Test
    public void unknownFeatureIsStatus2() {
        assertEquals(2, run("--features", "core,gui", "--data", data.toString()));
        assertEquals(List.of("peerchat: unknown feature 'gui' (available: core, server, shell, ui) (see --help)"), stderrLines());
    }

    @Test
    public void busyUdpPortIsStatus1() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(0))) {
            assertEquals(1, run("--udp-port", "" + busy.getLocalPort(), "--data", data.toString()));
        }
        assertOneLineStartingWith("peerchat: UDP port ");
    }

    @Test
    public void busyServerPortIsStatus1() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            assertEquals(1, run("--server", "" + busy.getLocalPort(), "--data", data.toString()));
        }
        assertOneLineStartingWith("peerchat: TCP port ");
    }

    @Test
    public void unreachableServerWithNameIsStatus1() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        assertEquals(1, run("--connect", "127.0.0.1:" + closed, "--name", "alice", "--data", data.toString()));
        assertOneLineStartingWith("peerchat: roster server 127.0.0.1:" + closed + " is not reachable: ");
    }

    @Test
    public void lockedDataDirectoryIsStatus1NamingTheOwner() throws Exception {
        try (DataDirectoryLock held = DataDirectoryLock.acquire(data)) {
            assertEquals(1, run("--data", data.toString(), "--features", "core"));
        }
        assertEquals(List.of("peerchat: data directory " + data + " is in use by another peerchat (pid "
                + ProcessHandle.current().pid() + ")"), stderrLines());
    }

    @Test
    public void aFeatureNamingAMissingJarIsStatus1() throws Exception {
        TestBundles.feature(distribution.featuresDirectory(), "core", "test:gone:2.0");
        assertEquals(1, run("--features", "core", "--data", data.toString()));
        assertOneLineStartingWith("peerchat: feature core names bundle test:gone:2.0, which is not in the distribution");
    }

    @Test
    public void theWindowWithoutADisplayIsStatus1() {
        assertEquals(1, runWithout("DISPLAY", "--data", data.toString()));
        assertEquals(List.of("peerchat: no display for the workbench window (DISPLAY is not set); "
                + "use --headless or --daemon, or start Xvfb and set DISPLAY"), stderrLines());
    }

    private int run(String... args) {
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new Main(stdout, stderr, folder.getRoot().toPath(), distribution).run(args);
    }

    /** Runs with an environment that has no display at all. */
    private int runWithout(String variable, String... args) {
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new Main(stdout, stderr, folder.getRoot().toPath(), distribution,
                name -> name.equals(variable) || name.equals("WAYLAND_DISPLAY") ? null : System.getenv(name)).run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<String> stderrLines() {
        return stderr().lines().toList();
    }

    private void assertOneLineStartingWith(String start) {
        List<String> lines = stderrLines();
        assertEquals(lines.toString(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).startsWith(start));
    }
}
