package peerchat.roster.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;

/**
 * The original application's client, written only from docs/LEGACY-PROTOCOL.md, on the same port
 * as our protocol: it binds its TCP socket to the port it uses for UDP, says {@code login-NAME},
 * reads roster lines {@code NAME:IP:PORT!...} and says {@code logout-NAME}.
 */
public class LegacyClientTest {

    private final RecordingLog log = new RecordingLog();
    private RosterServerEngine server;
    private int port;

    @Before
    public void startServer() throws IOException {
        server = new RosterServerEngine(log);
        port = server.start("127.0.0.1", 0).address().port();
    }

    @After
    public void stopServer() {
        server.stop();
    }

    /** The original client: one TCP connection from its own UDP port number, lines of text. */
    private static final class OriginalClient implements Closeable {
        final int udpPort;
        private final Socket socket = new Socket();
        private final BufferedReader in;
        private final OutputStream out;

        OriginalClient(int serverPort) throws IOException {
            udpPort = freePort();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", udpPort));
            socket.connect(new InetSocketAddress("127.0.0.1", serverPort), 5000);
            socket.setSoTimeout(5000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        void say(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The next roster line; fails the test after 5 s (SocketTimeoutException). */
        String rosterLine() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        private static int freePort() throws IOException {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                return probe.getLocalPort(); // free a moment ago: good enough on loopback
            }
        }
    }

    @Test
    public void originalClientJoinsSeesEveryoneAndLeaves() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); OriginalClient bob = new OriginalClient(port)) {
            alice.login("alice", 6001);
            bob.say("login-bob");
            String bobAt = "bob:127.0.0.1:" + bob.udpPort + "!";
            assertEquals("alice:127.0.0.1:6001!" + bobAt, bob.rosterLine());
            assertEquals(new Frame.Joined(new WireEntry("bob", "127.0.0.1", bob.udpPort, WirePresence.ONLINE, "", true)),
                    alice.next());

            try (FrameSocket carol = new FrameSocket(port)) {
                List<WireEntry> roster = carol.login("carol", 6003).entries();
                assertTrue(roster.get(1).legacy());
                assertEquals("alice:127.0.0.1:6001!" + bobAt + "carol:127.0.0.1:6003!", bob.rosterLine());
                alice.expect(Frame.Joined.class);
                // presence changes have no place in the legacy line: nothing is pushed to bob
                carol.send(new Frame.SetPresence(WirePresence.AWAY, "lunch"));
                alice.expect(Frame.PresenceChanged.class);
            }
            // carol's socket closed: bob gets the roster without her
            assertEquals("alice:127.0.0.1:6001!" + bobAt, bob.rosterLine());
            assertEquals(new Frame.Left("carol"), alice.next());

            bob.say("logout-bob");
            assertNull("the server closes after logout-", bob.rosterLine());
            assertEquals(new Frame.Left("bob"), alice.next());
            assertEquals(List.of("alice"), server.info().clients());
        }
    }

    @Test
    public void closedLegacySocketLeavesAtOnceAndTheNameRulesHold() throws IOException {
        try (FrameSocket alice = new FrameSocket(port)) {
            alice.login("alice", 6001);
            OriginalClient dave = new OriginalClient(port);
            dave.say("login-dave");
            dave.rosterLine();
            assertEquals("dave", alice.expect(Frame.Joined.class).entry().name());
            dave.close();
            assertEquals(new Frame.Left("dave"), alice.next());

            try (OriginalClient impostor = new OriginalClient(port)) {
                impostor.say("login-ALICE");
                assertNull("name taken: closed without a roster line", impostor.rosterLine());
            }
            try (OriginalClient bad = new OriginalClient(port)) {
                bad.say("login-not a name");
                assertNull(bad.rosterLine());
            }
            assertEquals(List.of("alice"), server.info().clients());
            assertEquals(Long.valueOf(1), server.info().rejects().get("name_taken"));
            assertEquals(Long.valueOf(1), server.info().rejects().get("bad_name"));
        }
    }

    @Test
    public void twoOriginalClientsSeeEachOther() throws IOException {
        try (OriginalClient a = new OriginalClient(port); OriginalClient b = new OriginalClient(port)) {
            a.say("login-ann");
            assertEquals("ann:127.0.0.1:" + a.udpPort + "!", a.rosterLine());
            b.say("login-ben");
            String both = "ann:127.0.0.1:" + a.udpPort + "!ben:127.0.0.1:" + b.udpPort + "!";
            assertEquals(both, b.rosterLine());
            assertEquals(both, a.rosterLine());
        }
    }
}
