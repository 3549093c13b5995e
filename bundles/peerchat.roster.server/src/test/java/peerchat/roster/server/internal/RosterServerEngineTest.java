package peerchat.roster.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.ServerInfo;
import peerchat.roster.protocol.ErrorCode;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.Protocol;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;

public class RosterServerEngineTest {

    private final RecordingLog log = new RecordingLog();
    private RosterServerEngine server;
    private int port;

    @Before
    public void startServer() throws IOException {
        server = new RosterServerEngine(log, new ServerSettings(16 * 1024, 1024 * 1024, Duration.ofMillis(500),
                Duration.ofSeconds(2)));
        port = server.start("127.0.0.1", 0).address().port();
    }

    @After
    public void stopServer() {
        server.stop();
    }

    @Test
    public void loginGetsSnapshotWithItselfAndOthersGetJoined() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket bob = new FrameSocket(port)) {
            assertEquals(List.of(WireEntry.online("alice", "127.0.0.1", 6001)), alice.login("alice", 6001).entries());
            Frame.Snapshot bobView = bob.login("bob", 6002);
            assertEquals(List.of(WireEntry.online("alice", "127.0.0.1", 6001), WireEntry.online("bob", "127.0.0.1", 6002)),
                    bobView.entries());
            assertFalse(bobView.more());
            assertEquals(new Frame.Joined(WireEntry.online("bob", "127.0.0.1", 6002)), alice.next());
            assertTrue(log.contains("INFO bob logged in from 127.0.0.1, UDP port 6002 (2 online)"));
        }
    }

    @Test
    public void infoListsLoggedInClientsSorted() throws IOException {
        try (FrameSocket bob = new FrameSocket(port); FrameSocket alice = new FrameSocket(port)) {
            bob.login("bob", 6002);
            alice.login("Alice", 6001);
            ServerInfo info = server.info();
            assertTrue(info.running());
            assertEquals("127.0.0.1", info.address().host());
            assertEquals(port, info.address().port());
            assertEquals(List.of("Alice", "bob"), info.clients());
        }
    }

    @Test
    public void namesAreUniqueIgnoringCase() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket other = new FrameSocket(port)) {
            alice.login("alice", 6001);
            other.send(new Frame.Hello("ALICE", 6003));
            assertEquals("name taken: ALICE", other.expectErrorAndClose(ErrorCode.NAME_TAKEN).message());
            assertEquals(List.of("alice"), server.info().clients());
        }
    }

    @Test
    public void badNameIsRefused() throws IOException {
        try (FrameSocket client = new FrameSocket(port)) {
            client.send(new Frame.Hello("bob smith", 6001));
            Frame.Error error = client.expectErrorAndClose(ErrorCode.BAD_NAME);
            assertTrue(error.message(), error.message().startsWith("bad name 'bob smith'"));
        }
    }

    @Test
    public void otherProtocolVersionIsRefused() throws IOException {
        try (FrameSocket client = new FrameSocket(port)) {
            client.send(new Frame.Hello(Protocol.VERSION + 1, "bob", 6001));
            client.expectErrorAndClose(ErrorCode.UNSUPPORTED_VERSION);
        }
    }

    @Test
    public void udpPortZeroIsRefused() throws IOException {
        try (FrameSocket client = new FrameSocket(port)) {
            client.send(new Frame.Hello("bob", 0));
            client.expectErrorAndClose(ErrorCode.PROTOCOL_ERROR);
        }
    }

    @Test
    public void oversizedFrameIsRefused() throws IOException {
        try (FrameSocket client = new FrameSocket(port)) {
            client.sendRaw(ByteBuffer.allocate(4).putInt(Protocol.MAX_FRAME_LENGTH + 1).array());
            client.expectErrorAndClose(ErrorCode.FRAME_TOO_LARGE);
        }
    }

    @Test
    public void anythingBeforeHelloIsAProtocolError() throws IOException {
        try (FrameSocket client = new FrameSocket(port)) {
            client.send(new Frame.Ping(1));
            assertEquals("expected HELLO first, got PING", client.expectErrorAndClose(ErrorCode.PROTOCOL_ERROR).message());
        }
    }

    @Test
    public void silentConnectionIsClosedAfterTheHelloTimeout() throws IOException {
        try (FrameSocket client = new FrameSocket(port)) {
            // the test server allows 500 ms; FrameSocket waits up to 5 s for the ERROR
            Frame.Error error = client.expectErrorAndClose(ErrorCode.TIMEOUT);
            assertEquals("no HELLO within 500 ms", error.message());
        }
    }

    @Test
    public void garbageGetsAnErrorWhileOthersKeepWorking() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket garbage = new FrameSocket(port)) {
            alice.login("alice", 6001);
            byte[] noise = new byte[3000];
            new Random(42).nextBytes(noise);
            garbage.sendRaw(noise);
            Frame.Error error = garbage.expect(Frame.Error.class);
            assertNotEquals(ErrorCode.OTHER, error.code());
            garbage.expectEnd();

            alice.send(new Frame.Ping(7));
            assertEquals(new Frame.Pong(7), alice.next());
            try (FrameSocket bob = new FrameSocket(port)) {
                assertEquals(2, bob.login("bob", 6002).entries().size());
                assertEquals("bob", alice.expect(Frame.Joined.class).entry().name());
            }
        }
    }

    @Test
    public void memberThatBreaksTheProtocolLeavesTheRoster() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket bob = new FrameSocket(port)) {
            alice.login("alice", 6001);
            bob.login("bob", 6002);
            alice.expect(Frame.Joined.class);
            bob.sendRaw(new byte[] {0, 0, 0, 1, 0x7F});
            bob.expectErrorAndClose(ErrorCode.PROTOCOL_ERROR);
            assertEquals(new Frame.Left("bob"), alice.next());
            assertEquals(List.of("alice"), server.info().clients());
        }
    }

    @Test
    public void byeRemovesAtOnceAndTheServerCloses() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket bob = new FrameSocket(port)) {
            alice.login("alice", 6001);
            bob.login("bob", 6002);
            alice.expect(Frame.Joined.class);
            bob.send(new Frame.Bye());
            bob.expectEnd();
            assertEquals(new Frame.Left("bob"), alice.next());
            assertTrue(log.contains("INFO bob logged out (1 online)"));
        }
    }

    @Test
    public void closedSocketRemovesAtOnce() throws IOException {
        try (FrameSocket alice = new FrameSocket(port)) {
            alice.login("alice", 6001);
            FrameSocket bob = new FrameSocket(port);
            bob.login("bob", 6002);
            alice.expect(Frame.Joined.class);
            bob.close();
            assertEquals(new Frame.Left("bob"), alice.next());
            assertEquals(List.of("alice"), server.info().clients());
            // the name is free again
            try (FrameSocket bobAgain = new FrameSocket(port)) {
                assertEquals(2, bobAgain.login("bob", 6002).entries().size());
            }
        }
    }

    @Test
    public void pingIsAnsweredWithPong() throws IOException {
        try (FrameSocket alice = new FrameSocket(port)) {
            alice.login("alice", 6001);
            alice.send(new Frame.Ping(Long.MIN_VALUE));
            assertEquals(new Frame.Pong(Long.MIN_VALUE), alice.next());
        }
    }

    @Test
    public void stopSaysByeAndClosesEveryone() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket waiting = new FrameSocket(port)) {
            alice.login("alice", 6001);
            server.stop();
            assertEquals(new Frame.Bye(), alice.next());
            alice.expectEnd();
            waiting.expectEnd();
            ServerInfo info = server.info();
            assertFalse(info.running());
            assertNull(info.address());
            assertEquals(List.of(), info.clients());
        }
        try (FrameSocket late = new FrameSocket(port)) {
            fail("connected to a stopped server");
        } catch (IOException expected) {
            // refused: nobody listens any more
        }
    }

    @Test
    public void portInUseGivesAReadableError() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            RosterServerEngine second = new RosterServerEngine(log);
            try {
                second.start("127.0.0.1", taken.getLocalPort());
                fail("started on a port in use");
            } catch (IOException e) {
                assertEquals("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use", e.getMessage());
            }
            assertFalse(second.info().running());
        }
    }

    @Test
    public void startOnTheSameAddressKeepsClientsAndAnotherAddressRestarts() throws IOException {
        try (FrameSocket alice = new FrameSocket(port)) {
            alice.login("alice", 6001);
            assertEquals(port, server.start("127.0.0.1", port).address().port());
            assertEquals(port, server.start("127.0.0.1", 0).address().port());
            alice.send(new Frame.Ping(1));
            assertEquals(new Frame.Pong(1), alice.next());

            int otherPort;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                otherPort = probe.getLocalPort(); // free a moment ago: good enough on loopback
            }
            ServerInfo moved = server.start("127.0.0.1", otherPort);
            assertEquals(otherPort, moved.address().port());
            assertNotEquals(port, otherPort);
            assertEquals(new Frame.Bye(), alice.next());
            alice.expectEnd();
            try (FrameSocket bob = new FrameSocket(moved.address().port())) {
                assertEquals(1, bob.login("bob", 6002).entries().size());
            }
        }
    }

    @Test
    public void failedMoveToAPortInUseKeepsTheServerRunning() throws IOException {
        try (FrameSocket alice = new FrameSocket(port);
                ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            alice.login("alice", 6001);
            try {
                server.start("127.0.0.1", taken.getLocalPort());
                fail("moved to a port in use");
            } catch (IOException e) {
                assertTrue(e.getMessage(), e.getMessage().endsWith(": address already in use"));
            }
            assertEquals(port, server.info().address().port());
            alice.send(new Frame.Ping(3));
            assertEquals(new Frame.Pong(3), alice.next());
        }
    }

    @Test
    public void version1HelloIsStillServed() throws IOException {
        try (FrameSocket old = new FrameSocket(port)) {
            assertEquals(List.of(WireEntry.online("old", "127.0.0.1", 6009)),
                    old.login(new Frame.Hello(1, "old", 6009)).entries());
        }
    }

    @Test
    public void presenceFromHelloAndSetPresenceReachesEveryoneLive() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket bob = new FrameSocket(port)) {
            alice.login(new Frame.Hello(Protocol.VERSION, "alice", 6001, WirePresence.BUSY, "coding"));
            WireEntry aliceBusy = new WireEntry("alice", "127.0.0.1", 6001, WirePresence.BUSY, "coding", false);
            assertEquals(List.of(aliceBusy, WireEntry.online("bob", "127.0.0.1", 6002)),
                    bob.login("bob", 6002).entries());
            alice.expect(Frame.Joined.class);

            bob.send(new Frame.SetPresence(WirePresence.AWAY, "lunch – back at 2"));
            WireEntry bobAway = new WireEntry("bob", "127.0.0.1", 6002, WirePresence.AWAY, "lunch – back at 2", false);
            assertEquals(new Frame.PresenceChanged(bobAway), alice.next());
            assertEquals("the user gets the change too, as its confirmation", new Frame.PresenceChanged(bobAway),
                    bob.next());
            try (FrameSocket carol = new FrameSocket(port)) {
                assertEquals(List.of(aliceBusy, bobAway, WireEntry.online("carol", "127.0.0.1", 6003)),
                        carol.login("carol", 6003).entries());
            }
        }
    }

    @Test
    public void tooLongStatusIsRefused() throws IOException {
        try (FrameSocket alice = new FrameSocket(port); FrameSocket bob = new FrameSocket(port)) {
            alice.login("alice", 6001);
            bob.login("bob", 6002);
            alice.expect(Frame.Joined.class);
            bob.send(new Frame.SetPresence(WirePresence.AWAY, "x".repeat(141)));
            Frame.Error error = bob.expectErrorAndClose(ErrorCode.BAD_STATUS);
            assertTrue(error.message(), error.message().startsWith("bad status text (141 characters)"));
            assertEquals(new Frame.Left("bob"), alice.next());
        }
        try (FrameSocket carol = new FrameSocket(port)) {
            carol.send(new Frame.Hello(Protocol.VERSION, "carol", 6003, WirePresence.ONLINE, "a\nb"));
            carol.expectErrorAndClose(ErrorCode.BAD_STATUS);
        }
    }

    @Test
    public void silentMemberIsPingedThenRemovedAfterTheHeartbeatTimeout() throws IOException {
        server.stop();
        server = new RosterServerEngine(log, new ServerSettings(16 * 1024, 1024 * 1024, Duration.ofSeconds(5),
                Duration.ofSeconds(2)).withHeartbeatTimeout(Duration.ofMillis(600)));
        port = server.start("127.0.0.1", 0).address().port();
        try (FrameSocket alice = new FrameSocket(port); FrameSocket bob = new FrameSocket(port)) {
            alice.login("alice", 6001);
            bob.login("bob", 6002);
            alice.expect(Frame.Joined.class);
            // alice answers the server's pings and stays; bob says nothing and goes
            Frame.Ping ping = alice.expect(Frame.Ping.class);
            alice.send(new Frame.Pong(ping.token()));
            assertEquals(Frame.Ping.class, bob.next().getClass());
            assertEquals("no heartbeat within 600 ms", bob.expectErrorAndClose(ErrorCode.TIMEOUT).message());
            Frame next = alice.next();
            while (next instanceof Frame.Ping again) { // bounded: FrameSocket fails after 5 s without a frame
                alice.send(new Frame.Pong(again.token()));
                next = alice.next();
            }
            assertEquals(new Frame.Left("bob"), next);
            assertEquals(List.of("alice"), server.info().clients());
            assertEquals(Long.valueOf(1), server.info().rejects().get("timeout"));
        }
    }

    @Test
    public void floodingClientGetsTooManyRequests() throws IOException {
        server.update(server.settings().withRequestRate(5, 5));
        try (FrameSocket alice = new FrameSocket(port); FrameSocket flood = new FrameSocket(port)) {
            alice.login("alice", 6001);
            flood.login("flood", 6002);
            alice.expect(Frame.Joined.class);
            java.io.ByteArrayOutputStream pings = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 50; i++) {
                pings.writeBytes(new peerchat.roster.protocol.FrameEncoder().encodeToArray(new Frame.Ping(i)));
            }
            flood.sendRaw(pings.toByteArray());
            Frame frame = flood.next();
            int pongs = 0;
            while (frame instanceof Frame.Pong && pongs < 50) {
                pongs++;
                frame = flood.next();
            }
            assertEquals(5, pongs);
            assertEquals(new Frame.Error(ErrorCode.TOO_MANY_REQUESTS, "too many requests: more than 5 frames per second"),
                    frame);
            flood.expectEnd();
            assertEquals(new Frame.Left("flood"), alice.next());
        }
    }

    @Test
    public void connectionsPerIpAndTotalAreLimited() throws IOException {
        server.update(server.settings().withConnectionLimits(2, 0));
        try (FrameSocket a = new FrameSocket(port); FrameSocket b = new FrameSocket(port)) {
            a.login("a", 6001);
            try (FrameSocket c = new FrameSocket(port)) {
                assertEquals("too many connections from 127.0.0.1 (limit 2)",
                        c.expectErrorAndClose(ErrorCode.TOO_MANY_CONNECTIONS).message());
            }
        }
        assertEquals(Long.valueOf(1), server.info().rejects().get("too_many_connections"));
        // a fresh server, so the connections above (whose close it may not have seen yet) do not count
        server.stop();
        server = new RosterServerEngine(log, ServerSettings.DEFAULTS.withConnectionLimits(0, 1));
        port = server.start("127.0.0.1", 0).address().port();
        try (FrameSocket a = new FrameSocket(port)) {
            a.login("a", 6001);
            try (FrameSocket b = new FrameSocket(port)) {
                assertEquals("server full: 1 connections open; try again later",
                        b.expectErrorAndClose(ErrorCode.SERVER_FULL).message());
            }
        }
        assertEquals(java.util.Map.of("server_full", 1L), server.info().rejects());
    }

    @Test
    public void infoCountsFramesAndUptime() throws IOException {
        try (FrameSocket alice = new FrameSocket(port)) {
            alice.login("alice", 6001);
            alice.send(new Frame.Ping(1));
            alice.expect(Frame.Pong.class);
            ServerInfo info = server.info();
            assertEquals(2, info.framesIn());
            assertEquals(2, info.framesOut());
            assertFalse(info.uptime().isNegative());
            assertEquals(java.util.Map.of(), info.rejects());
        }
    }

    @Test
    public void allInterfacesShowAsWildcard() throws IOException {
        RosterServerEngine wildcard = new RosterServerEngine(log);
        try {
            ServerInfo info = wildcard.start("", 0);
            assertEquals("0.0.0.0", info.address().host());
            try (FrameSocket alice = new FrameSocket(info.address().port())) {
                assertEquals(1, alice.login("alice", 6001).entries().size());
            }
        } finally {
            wildcard.stop();
        }
    }
}
