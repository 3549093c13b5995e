package peerchat.roster.client.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.api.dto.RosterEvent.Kind;
import peerchat.roster.protocol.ErrorCode;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.Protocol;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;

/** The client engine against a scripted server. */
public class RosterClientEngineTest {

    private static final WireEntry ALICE = WireEntry.online("alice", "127.0.0.1", 6001);
    private static final WireEntry BOB = WireEntry.online("bob", "127.0.0.1", 6002);
    private static final WireEntry CAROL = WireEntry.online("Carol", "10.0.0.3", 6003);

    private final RecordingLog log = new RecordingLog();
    private final BlockingQueue<RosterEvent> events = new LinkedBlockingQueue<>();
    private FakeServer server;
    private RosterClientEngine client;

    @Before
    public void setUp() throws IOException {
        server = new FakeServer();
        client = engine(Duration.ofSeconds(5), () -> OptionalInt.of(6001));
    }

    @After
    public void tearDown() throws IOException {
        client.logout();
        server.close();
    }

    private RosterClientEngine engine(Duration answerTimeout, UdpPortSource ports) {
        return new RosterClientEngine(log, new ClientSettings(Duration.ofSeconds(5), answerTimeout), ports, events::add,
                server.address());
    }

    private RosterEvent nextEvent() throws InterruptedException {
        RosterEvent event = events.poll(5, TimeUnit.SECONDS);
        assertNotNull("no roster event within 5 s", event);
        return event;
    }

    private static String failureOf(CompletableFuture<?> login) throws Exception {
        try {
            Object result = login.get(10, TimeUnit.SECONDS);
            fail("login succeeded: " + result);
            return null;
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
    }

    /** Accepts the client's connection, checks its HELLO and answers with this roster. */
    private FakeServer.Peer acceptLogin(List<WireEntry> roster) throws IOException {
        FakeServer.Peer peer = server.accept();
        peer.expect(Frame.Hello.class);
        peer.send(new Frame.Snapshot(roster));
        return peer;
    }

    @Test
    public void helloCarriesVersionNameAndUdpPort() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = server.accept()) {
            assertEquals(new Frame.Hello(Protocol.VERSION, "alice", 6001), peer.next());
            assertEquals(ConnectionState.CONNECTING, client.state());
            peer.send(new Frame.Snapshot(List.of(ALICE)));
            assertEquals(1, login.get(5, TimeUnit.SECONDS).size());
        }
    }

    @Test
    public void snapshotInSeveralFramesBecomesOneSortedRoster() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = server.accept()) {
            peer.expect(Frame.Hello.class);
            peer.send(new Frame.Snapshot(List.of(BOB), true), new Frame.Snapshot(List.of(CAROL, ALICE), false));
            List<RosterEntry> roster = login.get(5, TimeUnit.SECONDS);
            assertEquals(List.of("alice", "bob", "Carol"), roster.stream().map(RosterEntry::name).toList());
            assertEquals(new RosterEntry("Carol", new PeerAddress("10.0.0.3", 6003), Presence.ONLINE, "", false),
                    roster.get(2));
            RosterEvent snapshot = nextEvent();
            assertEquals(Kind.SNAPSHOT, snapshot.kind());
            assertNull(snapshot.entry());
            assertEquals(roster, snapshot.roster());
            assertEquals(ConnectionState.ONLINE, client.state());
            assertEquals("alice", client.userName().orElseThrow());
            assertTrue(log.has("INFO logged in as alice at " + server.address() + " (3 online)"));
        }
    }

    @Test
    public void updatesBecomeEventsInOrder() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = acceptLogin(List.of(ALICE))) {
            login.get(5, TimeUnit.SECONDS);
            WireEntry carolAway = new WireEntry("Carol", "10.0.0.3", 6003, WirePresence.AWAY, "lunch", true);
            peer.send(new Frame.Joined(CAROL), new Frame.PresenceChanged(carolAway), new Frame.Left("carol"),
                    new Frame.Left("nobody"), new Frame.Joined(BOB));

            assertEquals(Kind.SNAPSHOT, nextEvent().kind());
            RosterEvent joined = nextEvent();
            assertEquals(Kind.JOINED, joined.kind());
            assertEquals(List.of("alice", "Carol"), joined.roster().stream().map(RosterEntry::name).toList());
            RosterEvent changed = nextEvent();
            assertEquals(Kind.CHANGED, changed.kind());
            assertEquals(new RosterEntry("Carol", new PeerAddress("10.0.0.3", 6003), Presence.AWAY, "lunch", true),
                    changed.entry());
            RosterEvent left = nextEvent();
            assertEquals(Kind.LEFT, left.kind());
            assertEquals("Carol", left.entry().name());
            // "nobody" was never there: no event; the next one is bob's JOINED
            RosterEvent bob = nextEvent();
            assertEquals(Kind.JOINED, bob.kind());
            assertEquals(List.of("alice", "bob"), client.roster().stream().map(RosterEntry::name).toList());
        }
    }

    @Test
    public void pingIsAnsweredWithPong() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = acceptLogin(List.of(ALICE))) {
            login.get(5, TimeUnit.SECONDS);
            peer.send(new Frame.Ping(99));
            assertEquals(new Frame.Pong(99), peer.next());
        }
    }

    @Test
    public void refusalMessageBecomesTheLoginFailure() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("bob", null);
        try (FakeServer.Peer peer = server.accept()) {
            peer.expect(Frame.Hello.class);
            peer.send(new Frame.Error(ErrorCode.NAME_TAKEN, "name taken: bob"));
            peer.close();
            assertEquals("name taken: bob", failureOf(login));
            assertEquals(ConnectionState.DISCONNECTED, client.state());
            assertTrue(client.userName().isEmpty());
        }
    }

    @Test
    public void silentServerMakesTheLoginTimeOut() throws Exception {
        client = engine(Duration.ofMillis(300), () -> OptionalInt.of(6001));
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = server.accept()) {
            peer.expect(Frame.Hello.class);
            assertEquals("roster server " + server.address() + " did not answer within 300 ms", failureOf(login));
            assertEquals(ConnectionState.DISCONNECTED, client.state());
        }
    }

    @Test
    public void wrongFirstAnswerIsAProtocolFailure() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = server.accept()) {
            peer.expect(Frame.Hello.class);
            peer.send(new Frame.Joined(BOB));
            assertEquals("roster server " + server.address() + " broke the protocol: expected SNAPSHOT, got JOINED",
                    failureOf(login));
            assertEquals(ErrorCode.PROTOCOL_ERROR, peer.expect(Frame.Error.class).code());
        }
    }

    @Test
    public void lostServerKeepsAStaleRosterAndReconnectsWithTheSamePresence() throws Exception {
        client = engine(Duration.ofSeconds(5), () -> OptionalInt.of(6001));
        client.setSettings(new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200)));
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        FakeServer.Peer peer = acceptLogin(List.of(ALICE, BOB));
        login.get(5, TimeUnit.SECONDS);
        assertEquals(Kind.SNAPSHOT, nextEvent().kind());
        CompletableFuture<Void> away = client.setPresence(Presence.AWAY, " lunch ");
        assertEquals(new Frame.SetPresence(WirePresence.AWAY, "lunch"), peer.next());
        peer.send(new Frame.PresenceChanged(new WireEntry("alice", "127.0.0.1", 6001, WirePresence.AWAY, "lunch", false)));
        away.get(5, TimeUnit.SECONDS);
        assertEquals(Kind.CHANGED, nextEvent().kind());
        peer.close();

        RosterEvent disconnected = nextEvent();
        assertEquals(Kind.DISCONNECTED, disconnected.kind());
        assertEquals(List.of("alice", "bob"), disconnected.roster().stream().map(RosterEntry::name).toList());
        assertTrue(log.lines.toString(), log.has("WARN lost connection to roster server " + server.address()
                + " (logged in as alice): connection closed by the server; reconnecting"));
        // peers stay reachable while the roster is stale
        assertEquals("bob", client.find("bob").orElseThrow().name());

        try (FakeServer.Peer again = server.accept()) {
            assertEquals(ConnectionState.RECONNECTING, client.state());
            assertTrue(client.roster().size() == 2);
            assertEquals(new Frame.Hello(Protocol.VERSION, "alice", 6001, WirePresence.AWAY, "lunch"), again.next());
            again.send(new Frame.Snapshot(List.of(new WireEntry("alice", "127.0.0.1", 6001, WirePresence.AWAY, "lunch",
                    false), CAROL)));
            RosterEvent snapshot = nextEvent();
            assertEquals(Kind.SNAPSHOT, snapshot.kind());
            assertEquals(List.of("alice", "Carol"), snapshot.roster().stream().map(RosterEntry::name).toList());
            assertEquals(ConnectionState.ONLINE, client.state());
            assertEquals(Presence.AWAY, client.find("alice").orElseThrow().presence());
        }
    }

    @Test
    public void reconnectionKeepsTryingWhileTheServerIsAwayAndStopsOnLogout() throws Exception {
        client.setSettings(new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(100)));
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        FakeServer.Peer peer = acceptLogin(List.of(ALICE));
        login.get(5, TimeUnit.SECONDS);
        assertEquals(Kind.SNAPSHOT, nextEvent().kind());
        // the server refuses the first two attempts by closing at once, then lets it in
        peer.close();
        assertEquals(Kind.DISCONNECTED, nextEvent().kind());
        for (int i = 0; i < 2; i++) {
            try (FakeServer.Peer refused = server.accept()) {
                refused.expect(Frame.Hello.class);
            }
        }
        assertEquals(ConnectionState.RECONNECTING, client.state());
        client.logout().toCompletableFuture().get(5, TimeUnit.SECONDS);
        RosterEvent loggedOut = nextEvent();
        assertEquals(Kind.DISCONNECTED, loggedOut.kind());
        assertEquals(List.of(), loggedOut.roster());
        assertEquals(ConnectionState.DISCONNECTED, client.state());
        assertEquals(List.of(), client.roster());
    }

    @Test
    public void idleClientSendsPingsAndGivesUpASilentServer() throws Exception {
        client.setSettings(new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5))
                .withHeartbeat(Duration.ofMillis(100), Duration.ofMillis(600))
                .withReconnect(Duration.ofSeconds(30), Duration.ofSeconds(30)));
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = acceptLogin(List.of(ALICE))) {
            login.get(5, TimeUnit.SECONDS);
            assertEquals(Kind.SNAPSHOT, nextEvent().kind());
            Frame.Ping ping = peer.expect(Frame.Ping.class);
            peer.send(new Frame.Pong(ping.token()));
            peer.expect(Frame.Ping.class);
            // no answer any more: the server is "gone" without closing
            RosterEvent disconnected = nextEvent();
            assertEquals(Kind.DISCONNECTED, disconnected.kind());
            assertEquals(ConnectionState.RECONNECTING, client.state());
            assertTrue(log.lines.toString(), log.lines.stream().anyMatch(line -> line.contains("no word from the server within 600 ms")));
        }
    }

    @Test
    public void presenceNeedsALoginAndAShortOneLineStatus() throws Exception {
        assertEquals("not logged in", failureOf(client.setPresence(Presence.BUSY, "")));
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = acceptLogin(List.of(ALICE))) {
            login.get(5, TimeUnit.SECONDS);
            String tooLong = failureOf(client.setPresence(Presence.BUSY, "x".repeat(141)));
            assertTrue(tooLong, tooLong.startsWith("bad status text (141 characters)"));
            String twoLines = failureOf(client.setPresence(Presence.BUSY, "a\nb"));
            assertTrue(twoLines, twoLines.startsWith("bad status text"));
            assertEquals(Presence.ONLINE, client.presence());
        }
    }

    @Test
    public void backoffDoublesUpToTheMaximumWithJitter() {
        ClientSettings settings = ClientSettings.DEFAULTS.withReconnect(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertEquals(Duration.ofMillis(50), settings.backoff(0, 0));
        assertEquals(Duration.ofMillis(100), settings.backoff(0, 1));
        assertEquals(Duration.ofMillis(150), settings.backoff(1, 0.5));
        assertEquals(Duration.ofMillis(400), settings.backoff(2, 1));
        assertEquals(Duration.ofMillis(1000), settings.backoff(5, 1));
        assertEquals(Duration.ofMillis(500), settings.backoff(1000, 0));
    }

    @Test
    public void garbageFromTheServerDisconnectsWithAnError() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = acceptLogin(List.of(ALICE))) {
            login.get(5, TimeUnit.SECONDS);
            assertEquals(Kind.SNAPSHOT, nextEvent().kind());
            peer.sendRaw(new byte[] {0, 0, 0, 1, 0x7F});
            assertEquals(Kind.DISCONNECTED, nextEvent().kind());
            Frame.Error error = peer.expect(Frame.Error.class);
            assertEquals("unknown frame type 0x7f", error.message());
        }
    }

    @Test
    public void logoutSaysByeAndEmptiesTheRoster() throws Exception {
        CompletableFuture<List<RosterEntry>> login = client.login("alice", null);
        try (FakeServer.Peer peer = acceptLogin(List.of(ALICE))) {
            login.get(5, TimeUnit.SECONDS);
            assertEquals(Kind.SNAPSHOT, nextEvent().kind());
            client.logout().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(new Frame.Bye(), peer.next());
            assertNull("closed after BYE", peer.next());
            assertEquals(Kind.DISCONNECTED, nextEvent().kind());
            assertEquals(ConnectionState.DISCONNECTED, client.state());
            assertEquals(List.of(), client.roster());
            assertTrue(log.has("INFO logged out alice from " + server.address()));
        }
    }

    @Test
    public void newLoginCancelsOneStillInProgress() throws Exception {
        CompletableFuture<List<RosterEntry>> first = client.login("alice", null);
        try (FakeServer.Peer stalled = server.accept()) {
            stalled.expect(Frame.Hello.class);
            CompletableFuture<List<RosterEntry>> second = client.login("alice", null);
            assertEquals("login cancelled: a new login started", failureOf(first));
            assertNull("first connection closed without BYE", stalled.next());
            try (FakeServer.Peer peer = acceptLogin(List.of(ALICE))) {
                assertEquals(1, second.get(5, TimeUnit.SECONDS).size());
            }
        }
    }

    @Test
    public void unreachableServerGivesTheReason() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = probe.getLocalPort();
        }
        String message = failureOf(client.login("alice", new PeerAddress("127.0.0.1", closedPort)));
        assertEquals("cannot reach roster server 127.0.0.1:" + closedPort + ": Connection refused", message);
        assertEquals(new PeerAddress("127.0.0.1", closedPort), client.serverAddress());
    }

    @Test
    public void noTransportMeansNoLogin() throws Exception {
        client = engine(Duration.ofSeconds(5), OptionalInt::empty);
        assertEquals("no UDP transport available", failureOf(client.login("alice", null)));
        client = engine(Duration.ofSeconds(5), () -> {
            throw new IllegalStateException("transport stopped");
        });
        assertEquals("no UDP transport available: transport stopped", failureOf(client.login("alice", null)));
    }

    @Test
    public void badNameFailsWithoutConnecting() throws Exception {
        assertEquals("bad name 'al ice': a name is 1 to 32 letters, digits, '.', '_' or '-'",
                failureOf(client.login("al ice", null)));
        assertEquals(ConnectionState.DISCONNECTED, client.state());
    }

    @Test
    public void serverAddressIsTheDefaultUntilAnotherIsUsed() {
        assertEquals(server.address(), client.serverAddress());
        client.setDefaultServer(new PeerAddress("example.org", 5555));
        assertEquals(new PeerAddress("example.org", 5555), client.serverAddress());
    }
}
