package peerchat.launcher;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

public class PreflightTest {

    private final OptionParser parser = new OptionParser(Path.of("/home/test"));

    @Test
    public void aBusyUdpPortIsRefused() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(0))) {
            int port = busy.getLocalPort();
            assertRefused("UDP port " + port + " is in use (--udp-port): ", options("--udp-port", "" + port));
        }
    }

    @Test
    public void aBusyServerPortIsRefused() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            int port = busy.getLocalPort();
            assertRefused("TCP port " + port + " is in use, cannot host the roster server at :" + port + " (--server): ",
                    options("--server", "" + port));
        }
    }

    @Test
    public void anUnreachableServerIsRefusedWhenLoggingIn() throws Exception {
        int closed = closedPort();
        assertRefused("roster server 127.0.0.1:" + closed + " is not reachable: ",
                options("--connect", "127.0.0.1:" + closed, "--name", "alice"));
    }

    @Test
    public void anUnknownServerHostIsRefusedWhenLoggingIn() throws Exception {
        assertRefused("roster server no-such-host.invalid:5555 is not reachable: unknown host no-such-host.invalid (--connect)",
                options("--connect", "no-such-host.invalid:5555", "--name", "alice"));
    }

    @Test
    public void withoutANameTheServerIsNotContacted() throws Exception {
        Preflight.check(options("--connect", "127.0.0.1:" + closedPort()));
    }

    @Test
    public void freePortsAndAReachableServerPass() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Preflight.check(options("--udp-port", "" + freeUdpPort(), "--server", "127.0.0.1:" + closedPort(),
                    "--connect", "127.0.0.1:" + server.getLocalPort(), "--name", "alice"));
        }
    }

    @Test
    public void hostingTheServerSkipsTheReachabilityCheck() throws Exception {
        int port = closedPort();
        Preflight.check(options("--server", "" + port, "--name", "alice"));
        Preflight.check(options("--server", "127.0.0.1:" + port, "--connect", "localhost:" + port, "--name", "alice"));
    }

    @Test
    public void recognisesItsOwnServer() throws Exception {
        assertTrue(Preflight.hostsServerAt(options("--server", "5555"), new HostPort("127.0.0.1", 5555)));
        assertTrue(Preflight.hostsServerAt(options("--server", "5555"), new HostPort("localhost", 5555)));
        assertTrue(Preflight.hostsServerAt(options("--server", "0.0.0.0:5555"), new HostPort("127.0.0.1", 5555)));
        assertTrue(Preflight.hostsServerAt(options("--server", "127.0.0.1:5555"), new HostPort("127.0.0.1", 5555)));
        assertFalse(Preflight.hostsServerAt(options("--server", "5555"), new HostPort("127.0.0.1", 5556)));
        assertFalse(Preflight.hostsServerAt(options(), new HostPort("127.0.0.1", 5555)));
        assertFalse(Preflight.hostsServerAt(options("--server", "127.0.0.1:5555"), new HostPort("192.0.2.1", 5555)));
    }

    private Options options(String... args) throws UsageException {
        return parser.parse(List.of(args));
    }

    private static void assertRefused(String messageStart, Options options) {
        try {
            Preflight.check(options);
            fail("passed: " + options);
        } catch (StartupException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(messageStart));
            assertFalse(e.getMessage(), e.getMessage().contains("\n"));
        }
    }

    /** A port nobody listens on (just released). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
