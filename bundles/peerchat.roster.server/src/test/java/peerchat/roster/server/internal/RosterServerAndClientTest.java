package peerchat.roster.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.api.dto.RosterEvent.Kind;
import peerchat.roster.client.internal.ClientSettings;
import peerchat.roster.client.internal.RosterClientEngine;
import peerchat.roster.protocol.Frame;

/** The real client engine against the real server engine, on 127.0.0.1. */
public class RosterServerAndClientTest {

    private final RecordingLog log = new RecordingLog();
    private final List<RosterClientEngine> clients = new ArrayList<>();
    private RosterServerEngine server;
    private int port;

    @Before
    public void startServer() throws IOException {
        server = new RosterServerEngine(log);
        port = server.start("127.0.0.1", 0).address().port();
    }

    @After
    public void stopEverything() {
        for (RosterClientEngine client : clients) {
            client.logout();
        }
        server.stop();
    }

    /** A client engine announcing this UDP port, its events collected in a queue. */
    private RosterClientEngine client(int udpPort, BlockingQueue<RosterEvent> events) {
        RosterClientEngine client = new RosterClientEngine(log,
                new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                () -> OptionalInt.of(udpPort), events::add, new PeerAddress("127.0.0.1", port));
        clients.add(client);
        return client;
    }

    private static List<RosterEntry> login(RosterClientEngine client, String name) throws Exception {
        return client.login(name, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static String loginFailure(RosterClientEngine client, String name) throws Exception {
        try {
            List<RosterEntry> roster = client.login(name, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
            fail("login as " + name + " succeeded: " + roster);
            return null;
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
    }

    private static RosterEvent next(BlockingQueue<RosterEvent> events) throws InterruptedException {
        RosterEvent event = events.poll(5, TimeUnit.SECONDS);
        assertNotNull("no roster event within 5 s", event);
        return event;
    }

    private static List<String> names(List<RosterEntry> roster) {
        return roster.stream().map(RosterEntry::name).toList();
    }

    private static RosterEntry entry(String name, int udpPort) {
        return new RosterEntry(name, new PeerAddress("127.0.0.1", udpPort), Presence.ONLINE, "", false);
    }

    @Test
    public void aliceAndBobSeeEachOtherWithTheirUdpPorts() throws Exception {
        BlockingQueue<RosterEvent> aliceEvents = new LinkedBlockingQueue<>();
        BlockingQueue<RosterEvent> bobEvents = new LinkedBlockingQueue<>();
        RosterClientEngine alice = client(6001, aliceEvents);
        RosterClientEngine bob = client(6002, bobEvents);

        assertEquals(List.of(entry("alice", 6001)), login(alice, "alice"));
        assertEquals(List.of(entry("alice", 6001), entry("bob", 6002)), login(bob, "bob"));

        assertEquals(Kind.SNAPSHOT, next(aliceEvents).kind());
        RosterEvent joined = next(aliceEvents);
        assertEquals(Kind.JOINED, joined.kind());
        assertEquals(entry("bob", 6002), joined.entry());
        assertEquals(List.of(entry("alice", 6001), entry("bob", 6002)), alice.roster());
        assertEquals(alice.roster(), bob.roster());
        assertEquals(Kind.SNAPSHOT, next(bobEvents).kind());

        assertEquals(ConnectionState.ONLINE, alice.state());
        assertEquals("alice", alice.userName().orElseThrow());
        assertEquals(entry("bob", 6002), alice.find("BOB").orElseThrow());
        assertEquals(entry("bob", 6002), alice.findByAddress(new PeerAddress("127.0.0.1", 6002)).orElseThrow());
        assertEquals(List.of("alice", "bob"), server.info().clients());
    }

    @Test
    public void secondAliceInOtherCaseGetsNameTaken() throws Exception {
        login(client(6001, new LinkedBlockingQueue<>()), "alice");
        RosterClientEngine impostor = client(6003, new LinkedBlockingQueue<>());
        assertEquals("name taken: ALICE", loginFailure(impostor, "ALICE"));
        assertEquals(ConnectionState.DISCONNECTED, impostor.state());
        assertEquals(List.of(), impostor.roster());
    }

    @Test
    public void badNameIsRefusedBeforeConnecting() throws Exception {
        String message = loginFailure(client(6001, new LinkedBlockingQueue<>()), "bob smith");
        assertTrue(message, message.startsWith("bad name 'bob smith'"));
    }

    @Test
    public void closedSocketMakesTheOthersSeeLeft() throws Exception {
        BlockingQueue<RosterEvent> aliceEvents = new LinkedBlockingQueue<>();
        RosterClientEngine alice = client(6001, aliceEvents);
        login(alice, "alice");
        FrameSocket bob = new FrameSocket(port);
        bob.login("bob", 6002);
        assertEquals(Kind.SNAPSHOT, next(aliceEvents).kind());
        assertEquals(Kind.JOINED, next(aliceEvents).kind());

        bob.close(); // no BYE: the socket just ends
        RosterEvent left = next(aliceEvents);
        assertEquals(Kind.LEFT, left.kind());
        assertEquals("bob", left.entry().name());
        assertEquals(List.of("alice"), names(left.roster()));
        assertEquals(List.of("alice"), names(alice.roster()));
    }

    @Test
    public void logoutMakesTheOthersSeeLeftAndTheNameIsFreeAtOnce() throws Exception {
        BlockingQueue<RosterEvent> aliceEvents = new LinkedBlockingQueue<>();
        BlockingQueue<RosterEvent> bobEvents = new LinkedBlockingQueue<>();
        RosterClientEngine alice = client(6001, aliceEvents);
        RosterClientEngine bob = client(6002, bobEvents);
        login(alice, "alice");
        login(bob, "bob");
        next(aliceEvents);
        next(aliceEvents);
        next(bobEvents);

        bob.logout().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(ConnectionState.DISCONNECTED, bob.state());
        assertEquals(List.of(), bob.roster());
        assertEquals(Kind.DISCONNECTED, next(bobEvents).kind());
        RosterEvent left = next(aliceEvents);
        assertEquals(Kind.LEFT, left.kind());
        assertEquals(List.of("alice"), names(alice.roster()));

        // logout waited for the server to close, so the same name logs in again right away
        assertEquals(List.of("alice", "bob"), names(login(bob, "bob")));
    }

    @Test
    public void loginWhileLoggedInLogsOutFirst() throws Exception {
        BlockingQueue<RosterEvent> aliceEvents = new LinkedBlockingQueue<>();
        BlockingQueue<RosterEvent> bobEvents = new LinkedBlockingQueue<>();
        RosterClientEngine alice = client(6001, aliceEvents);
        RosterClientEngine bob = client(6002, bobEvents);
        login(alice, "alice");
        login(bob, "bob");
        next(bobEvents);

        assertEquals(List.of("Alice2", "bob"), names(login(alice, "Alice2")));
        assertEquals(Kind.LEFT, next(bobEvents).kind());
        RosterEvent joined = next(bobEvents);
        assertEquals(Kind.JOINED, joined.kind());
        assertEquals("Alice2", joined.entry().name());
        assertEquals(List.of("Alice2", "bob"), server.info().clients());
    }

    @Test
    public void garbageFromARawSocketDoesNotDisturbTheOthers() throws Exception {
        BlockingQueue<RosterEvent> aliceEvents = new LinkedBlockingQueue<>();
        RosterClientEngine alice = client(6001, aliceEvents);
        RosterClientEngine bob = client(6002, new LinkedBlockingQueue<>());
        login(alice, "alice");
        login(bob, "bob");
        next(aliceEvents);
        next(aliceEvents);

        try (FrameSocket garbage = new FrameSocket(port)) {
            byte[] noise = new byte[500];
            new Random(7).nextBytes(noise);
            noise[0] = 0; // a plausible length prefix, so the type and fields are what is wrong
            noise[1] = 0;
            noise[2] = 1;
            garbage.sendRaw(noise);
            garbage.expect(Frame.Error.class);
            garbage.expectEnd();
        }
        RosterClientEngine carol = client(6003, new LinkedBlockingQueue<>());
        assertEquals(List.of("alice", "bob", "carol"), names(login(carol, "carol")));
        RosterEvent joined = next(aliceEvents);
        assertEquals("carol", joined.entry().name());
        assertEquals(ConnectionState.ONLINE, alice.state());
        assertEquals(ConnectionState.ONLINE, bob.state());
    }

    @Test
    public void serverStopLeavesClientsReconnectingWithAStaleRoster() throws Exception {
        BlockingQueue<RosterEvent> aliceEvents = new LinkedBlockingQueue<>();
        BlockingQueue<RosterEvent> bobEvents = new LinkedBlockingQueue<>();
        RosterClientEngine alice = client(6001, aliceEvents);
        RosterClientEngine bob = client(6002, bobEvents);
        login(alice, "alice");
        login(bob, "bob");
        next(aliceEvents);
        next(aliceEvents);
        next(bobEvents);

        server.stop();
        RosterEvent disconnected = next(aliceEvents);
        assertEquals(Kind.DISCONNECTED, disconnected.kind());
        assertEquals(List.of("alice", "bob"), names(disconnected.roster()));
        assertEquals(Kind.DISCONNECTED, next(bobEvents).kind());
        assertEquals(ConnectionState.RECONNECTING, alice.state());
        assertTrue(alice.stale());
        assertEquals(List.of("alice", "bob"), names(alice.roster()));
        assertEquals(entry("bob", 6002), alice.find("bob").orElseThrow());
        assertTrue(log.lines.toString(), log.contains("WARN lost connection to roster server 127.0.0.1:" + port));
    }

    @Test
    public void restartedServerGetsAllTwentyClientsBackWithConsistentRosters() throws Exception {
        int count = 20;
        List<RosterClientEngine> twenty = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RosterClientEngine client = client(7000 + i, new LinkedBlockingQueue<>());
            client.setSettings(new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5))
                    .withReconnect(Duration.ofMillis(100), Duration.ofSeconds(2)));
            String name = String.format("user%02d", i);
            login(client, name);
            twenty.add(client);
            expected.add(name);
        }
        // one of them is away: the presence survives the restart
        twenty.get(3).setPresence(Presence.AWAY, "back soon").toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertTrue(waitUntil(Duration.ofSeconds(5), () -> twenty.stream().allMatch(c -> names(c.roster()).equals(expected))));

        server.stop();
        assertTrue(waitUntil(Duration.ofSeconds(5),
                () -> twenty.stream().allMatch(c -> c.state() == ConnectionState.RECONNECTING)));
        for (RosterClientEngine client : twenty) {
            assertEquals("stale roster kept", expected, names(client.roster()));
        }
        assertEquals(port, server.start("127.0.0.1", port).address().port());

        boolean back = waitUntil(Duration.ofSeconds(10), () -> twenty.stream()
                .allMatch(c -> c.state() == ConnectionState.ONLINE && names(c.roster()).equals(expected)));
        assertTrue("not all back within 10 s: " + server.info().clients(), back);
        assertEquals(expected, server.info().clients());
        RosterEntry away = twenty.get(0).find("user03").orElseThrow();
        assertEquals(Presence.AWAY, away.presence());
        assertEquals("back soon", away.status());
    }

    /** Polls every 20 ms until the condition holds or the time is up. */
    private static boolean waitUntil(Duration limit, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - end < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Test
    public void unreachableServerGivesAReadableError() throws Exception {
        server.stop(); // nobody listens on the port any more
        String message = loginFailure(client(6001, new LinkedBlockingQueue<>()), "alice");
        assertEquals("cannot reach roster server 127.0.0.1:" + port + ": Connection refused", message);
    }

    @Test
    public void noUdpTransportMeansNoLogin() throws Exception {
        RosterClientEngine client = new RosterClientEngine(log, ClientSettings.DEFAULTS, OptionalInt::empty,
                event -> { }, new PeerAddress("127.0.0.1", port));
        try {
            client.login("alice", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
            fail("logged in without a transport");
        } catch (ExecutionException e) {
            assertEquals("no UDP transport available", e.getCause().getMessage());
        } catch (TimeoutException e) {
            fail("login neither failed nor succeeded");
        }
        assertEquals(List.of(), server.info().clients());
    }
}
