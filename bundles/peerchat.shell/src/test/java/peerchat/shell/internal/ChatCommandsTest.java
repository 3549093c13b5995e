package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.ServerInfo;
import peerchat.api.dto.TransportStats;

public class ChatCommandsTest {

    private static final DeliveryResult DELIVERED = new DeliveryResult(DeliveryStatus.DELIVERED, "");

    private FakeRosterClient roster;
    private FakeChatService chat;
    private FakeRosterServer server;
    private ChatCommands commands;

    @Before
    public void setUp() {
        roster = new FakeRosterClient()
                .with("bob", "10.0.0.2", 40001, Presence.AWAY)
                .with("alice", "127.0.0.1", 40000, Presence.ONLINE)
                .with("Carl", "10.0.0.3", 40002, Presence.BUSY);
        chat = new FakeChatService();
        server = new FakeRosterServer();
        commands = new ChatCommands();
        commands.roster = roster;
        commands.chat = chat;
        commands.server = server;
        commands.transport = new FakeTransport();
        commands.zone = ZoneId.of("UTC");
        commands.clock = java.time.Clock.fixed(Instant.parse("2026-11-02T12:00:00Z"), ZoneId.of("UTC"));
        commands.rosterTimeout = Duration.ofMillis(100);
        commands.sendTimeout = Duration.ofMillis(100);
    }

    private void loggedInAsAlice() {
        roster.userName = "alice";
    }

    // login / logout

    @Test
    public void loginReportsNameServerAndHowManyAreOnline() {
        assertEquals("logged in as alice at 127.0.0.1:5555 (3 online)", commands.login("alice"));
        assertEquals(null, roster.lastLoginServer);
    }

    @Test
    public void loginToAGivenServer() {
        assertEquals("logged in as alice at 10.1.1.1:6000 (3 online)", commands.login("alice", "10.1.1.1:6000"));
        assertEquals(new PeerAddress("10.1.1.1", 6000), roster.lastLoginServer);
    }

    @Test
    public void loginRefusalIsOneErrorLine() {
        roster.refusal = "name taken: alice";
        assertEquals("error: name taken: alice", commands.login("alice"));
    }

    @Test
    public void loginWithABadServerAddressSendsNothing() {
        assertEquals("error: expected HOST:PORT, got: localhost", commands.login("alice", "localhost"));
        assertEquals("error: port must be a number from 1 to 65535, got: 99999", commands.login("alice", "h:99999"));
        assertEquals(null, roster.userName);
    }

    @Test
    public void loginThatGetsNoAnswerGivesUpWithinTheTimeoutAndIsAbandoned() {
        roster.hang = true;
        long start = System.nanoTime();

        assertEquals("error: no answer from the roster server within 100 ms", commands.login("alice"));

        assertTrue("bounded wait", System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        assertEquals(1, roster.logouts);
    }

    @Test
    public void loginWithAnEmptyName() {
        assertEquals("error: name must not be empty", commands.login(" "));
    }

    @Test
    public void logout() {
        assertEquals("not logged in", commands.logout());
        loggedInAsAlice();
        assertEquals("logged out alice", commands.logout());
        assertEquals(null, roster.userName);
    }

    // roster

    @Test
    public void rosterIsSortedByNameWithLowerCasePresence() {
        loggedInAsAlice();
        assertEquals("alice 127.0.0.1:40000 online\n"
                + "bob 10.0.0.2:40001 away\n"
                + "Carl 10.0.0.3:40002 busy", commands.roster());
    }

    @Test
    public void rosterWhenNotLoggedIn() {
        assertEquals("error: not logged in", commands.roster());
    }

    // send

    @Test
    public void sendJoinsWordsAndReportsEachRecipientInTheOrderGiven() {
        loggedInAsAlice();
        chat.answer("bob", DELIVERED)
                .answer("carl", new DeliveryResult(DeliveryStatus.FAILED, "timed out"))
                .answer("alice", new DeliveryResult(DeliveryStatus.SENT, ""));

        String output = commands.send("carl,bob,alice", "hello", "there,", "friends");

        assertEquals("undelivered Carl: timed out\ndelivered bob\nsent alice", output);
        assertEquals(List.of(new FakeChatService.Sent("Carl", "hello there, friends"),
                new FakeChatService.Sent("bob", "hello there, friends"),
                new FakeChatService.Sent("alice", "hello there, friends")), chat.sent);
    }

    @Test
    public void sendValidatesEveryNameBeforeSendingAnything() {
        loggedInAsAlice();
        assertEquals("error: unknown user: dave", commands.send("bob,dave", "hi"));
        assertEquals("error: unknown users: dave, eve", commands.send("dave,bob,eve", "hi"));
        assertEquals(List.of(), chat.sent);
    }

    @Test
    public void sendWhenNotLoggedIn() {
        assertEquals("error: not logged in", commands.send("bob", "hi"));
        assertEquals(List.of(), chat.sent);
    }

    @Test
    public void sendWithoutText() {
        loggedInAsAlice();
        assertEquals("error: nothing to send: chat:send TO TEXT...", commands.send("bob"));
    }

    @Test
    public void sendWithABadRecipientList() {
        loggedInAsAlice();
        assertEquals("error: empty name in recipient list: bob,", commands.send("bob,", "hi"));
    }

    @Test
    public void sendWaitsBoundedlyForAnOutcomeThatNeverComes() {
        loggedInAsAlice();
        chat.answer("alice", DELIVERED);
        long start = System.nanoTime();

        String output = commands.send("bob,alice", "hi");

        assertEquals("undelivered bob: no outcome within 100 ms\ndelivered alice", output);
        assertTrue("bounded wait", System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    public void aRecipientWhoLeftBetweenCheckAndSendIsUndelivered() {
        loggedInAsAlice();
        chat.answer("alice", DELIVERED);
        chat.gone.add("bob");

        assertEquals("undelivered bob: unknown user: bob\ndelivered alice", commands.send("bob,alice", "hi"));
    }

    @Test
    public void anExceptionalOutcomeIsUndeliveredWithItsMessage() {
        loggedInAsAlice();
        chat.outcomes.put("bob", java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalStateException("transport stopped")));

        assertEquals("undelivered bob: transport stopped", commands.send("bob", "hi"));
    }

    // history

    @Test
    public void historyPrintsOneLinePerMessageOldestFirst() {
        chat.history.add(message(1, "10:00:01", "alice", "bob", "hi bob"));
        chat.history.add(message(2, "10:00:02", "bob", "alice", "hi\nalice"));
        chat.history.add(message(3, "10:00:03", "carl", "alice", "not with bob"));

        assertEquals("10:00:01 alice -> bob: hi bob\n10:00:02 bob -> alice: hi\\nalice", commands.history("bob"));
        assertEquals(20, chat.lastHistoryLimit);
        assertEquals("10:00:02 bob -> alice: hi\\nalice", commands.history("Bob", "1"));
        assertEquals(1, chat.lastHistoryLimit);
    }

    @Test
    public void aKnownContactWhoIsOfflineGetsTheMessageQueued() {
        loggedInAsAlice();
        chat.contacts.add(new peerchat.api.dto.Contact("Dave", null, Instant.parse("2026-11-01T09:00:00Z")));
        chat.answer("dave", new DeliveryResult(DeliveryStatus.QUEUED, "offline"));

        assertEquals("queued Dave (offline)", commands.send("dave", "see", "you"));
        assertEquals("error: unknown user: eve", commands.send("eve", "hi"));
    }

    @Test
    public void loggedOutAContactStillGetsTheMessageQueuedAndAnyoneElseIsRefused() {
        chat.contacts.add(new peerchat.api.dto.Contact("Dave", null, Instant.parse("2026-11-01T09:00:00Z")));
        chat.answer("dave", new DeliveryResult(DeliveryStatus.QUEUED, "not logged in"));

        assertEquals("queued Dave (not logged in)", commands.send("dave", "later"));
        assertEquals("error: not logged in", commands.send("bob", "hi"));
        commands.roster = null;
        assertEquals("error: roster client bundle is not running", commands.send("bob", "hi"));
    }

    @Test
    public void contactsShowPresenceAndWhenAnOfflineOneWasLastSeen() {
        assertEquals("no contacts yet", commands.contacts());
        chat.contacts.add(new peerchat.api.dto.Contact("bob", Presence.AWAY, Instant.parse("2026-11-02T11:00:00Z")));
        chat.contacts.add(new peerchat.api.dto.Contact("Dave", null, Instant.parse("2026-11-01T09:00:00.123Z")));
        chat.contacts.add(new peerchat.api.dto.Contact("eve", null, null));

        assertEquals("bob away\nDave offline last seen 2026-11-01T09:00:00Z\neve offline", commands.contacts());
    }

    @Test
    public void searchPrintsMatchesNewestFirstInTheHistoryFormat() {
        chat.history.add(message(1, "10:00:01", "alice", "bob", "Lunch?"));
        chat.history.add(message(2, "10:00:02", "bob", "alice", "no"));
        chat.history.add(message(3, "10:00:03", "carl", "alice", "lunch at 12"));

        assertEquals("10:00:03 carl -> alice: lunch at 12\n10:00:01 alice -> bob: Lunch?", commands.search("LUNCH"));
        assertEquals("10:00:01 alice -> bob: Lunch?", commands.search("lunch", "bob"));
        assertEquals("no messages contain \"dinner\"", commands.search("dinner"));
    }

    @Test
    public void exportWritesOneJsonObjectPerMessageOldestFirst() throws Exception {
        chat.history.add(message(1, "10:00:01", "alice", "bob", "say \"hi\"\n"));
        chat.history.add(message(2, "10:00:02", "bob", "alice", "hi"));
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("export").resolve("bob.jsonl");

        assertEquals("exported 2 messages with bob to " + file, commands.export("bob", file.toString()));
        assertEquals(List.of(
                "{\"id\":1,\"time\":\"2026-11-02T10:00:01Z\",\"from\":\"alice\",\"to\":\"bob\",\"direction\":\"out\","
                        + "\"state\":\"delivered\",\"reason\":\"\",\"text\":\"say \\\"hi\\\"\\n\"}",
                "{\"id\":2,\"time\":\"2026-11-02T10:00:02Z\",\"from\":\"bob\",\"to\":\"alice\",\"direction\":\"in\","
                        + "\"state\":\"delivered\",\"reason\":\"\",\"text\":\"hi\"}"),
                java.nio.file.Files.readAllLines(file));
        assertTrue(commands.export("bob", file.getParent().resolve("no/such/dir/x.jsonl").toString())
                .startsWith("error: cannot write "));
    }

    @Test
    public void historyWithNothingToShow() {
        assertEquals("no messages with dave", commands.history("dave"));
    }

    @Test
    public void historyRefusesABadCount() {
        assertEquals("error: N must be a whole number of at least 1, got: 0", commands.history("bob", "0"));
        assertEquals("error: N must be a whole number of at least 1, got: many", commands.history("bob", "many"));
    }

    // server

    @Test
    public void serverStartsOnPort5555OfAllInterfacesByDefault() {
        assertEquals("running 0.0.0.0:5555\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 0", commands.server("start"));
        assertEquals(null, server.startedHost);
        assertEquals(5555, server.startedPort);
    }

    @Test
    public void serverStartsOnAGivenPortOrHostAndPort() {
        commands.server("start", "6000");
        assertEquals(null, server.startedHost);
        assertEquals(6000, server.startedPort);

        assertEquals("running 127.0.0.1:6001\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 0", commands.server("start", "127.0.0.1:6001"));
        assertEquals("127.0.0.1", server.startedHost);
    }

    @Test
    public void serverStartFailureSaysWhereItCouldNotListen() {
        server.failure = new BindException("Address already in use");
        assertEquals("error: cannot listen on port 5555: Address already in use", commands.server("start"));
        assertEquals("error: cannot listen on 127.0.0.1:6000: Address already in use",
                commands.server("start", "127.0.0.1:6000"));

        server.failure = new IOException("cannot listen on 0.0.0.0:5555: Address already in use");
        assertEquals("error: cannot listen on 0.0.0.0:5555: Address already in use", commands.server("start"));
    }

    @Test
    public void serverInfoListsClients() {
        server.info = new ServerInfo(true, new PeerAddress("0.0.0.0", 5555), List.of("alice", "bob"));
        assertEquals("running 0.0.0.0:5555\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 2\nalice\nbob", commands.server("info"));
        assertEquals("running 0.0.0.0:5555\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 2\nalice\nbob", commands.server());
    }

    @Test
    public void serverStop() {
        commands.server("start");
        assertEquals("stopped", commands.server("stop"));
        assertEquals("stopped\nclients 0", commands.server("info"));
    }

    @Test
    public void serverBadUsage() {
        assertEquals("error: unknown action: restart (start, stop or info)", commands.server("restart"));
        assertEquals("error: too many arguments: chat:server start [[HOST:]PORT]", commands.server("start", "1", "2"));
        assertEquals("error: too many arguments: chat:server stop", commands.server("stop", "now"));
        assertEquals("error: port must be a number from 0 to 65535, got: port", commands.server("start", "port"));
        assertEquals("not called", server.startedHost);
    }

    // missing services

    @Test
    public void everyCommandNamesTheMissingBundle() {
        commands.roster = null;
        commands.chat = null;
        commands.server = null;
        commands.transport = null;

        assertEquals("error: roster client bundle is not running", commands.login("alice"));
        assertEquals("error: roster client bundle is not running", commands.logout());
        assertEquals("error: roster client bundle is not running", commands.roster());
        assertEquals("error: chat bundle is not running", commands.send("bob", "hi"));
        assertEquals("error: chat bundle is not running", commands.history("bob"));
        assertEquals("error: roster server bundle is not running", commands.server("info"));
        assertEquals("roster client bundle is not running\ntransport bundle is not running\n"
                + "roster server bundle is not running", commands.whoami());
        assertEquals("error: transport bundle is not running", commands.stats());
    }

    @Test
    public void statsWithoutPeers() {
        assertEquals("total sent 0, delivered 0, failed 0, received 0, packets 0, retransmitted 0, "
                + "duplicates dropped 0, malformed dropped 0, in flight 0\n"
                + "plain (original clients) sent 0, received 0, dropped 0\n"
                + "keeping: awaiting 0, failed attempts 0; strangers dropped 0\nno peer sessions", commands.stats());
    }

    @Test
    public void statsShowTotalsAndOneLinePerPeer() {
        FakeTransport transport = new FakeTransport();
        transport.stats = new TransportStats(12, 10, 1, 40, 30, 3, 2, 5, 1, 4, 6, 1, 17, 2, 3, List.of(
                new TransportStats.PeerStats(new PeerAddress("127.0.0.1", 40001), "active", 12, 10, 1, 40, 3, 2,
                        0.4251, 0.125, 25.0, 1, 32, 1),
                new TransportStats.PeerStats(new PeerAddress("10.0.0.7", 6000), "receiving", 0, 0, 0, 0, 0, 0, -1, -1,
                        -1, 0, 0, 0)));
        commands.transport = transport;
        assertEquals(String.join("\n",
                "total sent 12, delivered 10, failed 1, received 40, packets 30, retransmitted 3, "
                        + "duplicates dropped 2, malformed dropped 5, in flight 1",
                "plain (original clients) sent 4, received 6, dropped 1",
                "keeping: awaiting 3, failed attempts 2; strangers dropped 17",
                "PEER                   STATE        SENT   DELIV   FAIL     RECV    RETX   DUPS   SRTT ms "
                        + "RTTVAR ms INFLIGHT   CWND QUEUED",
                "127.0.0.1:40001        active         12      10      1       40       3      2      0.43 "
                        + "     0.13        1     32      1",
                "10.0.0.7:6000          receiving       0       0      0        0       0      0         - "
                        + "        -        0      0      0"),
                commands.stats());
    }

    @Test
    public void sendWithoutRosterClient() {
        commands.roster = null;
        assertEquals("error: roster client bundle is not running", commands.send("bob", "hi"));
    }

    @Test
    public void whoami() {
        assertEquals("user - (not logged in)\nroster disconnected 127.0.0.1:5555\nudp 0.0.0.0:40000\nserver stopped",
                commands.whoami());
        loggedInAsAlice();
        commands.server("start");
        assertEquals("user alice\nroster online 127.0.0.1:5555\nudp 0.0.0.0:40000\nserver running 0.0.0.0:5555",
                commands.whoami());
    }

    private static ChatMessage message(long id, String time, String from, String to, String text) {
        return new ChatMessage(id, Instant.parse("2026-11-02T" + time + "Z"), from, to, text, from.equals("alice"),
                DeliveryStatus.DELIVERED, "");
    }
}
