package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;

/**
 * Runs command lines through the real Gogo 1.1.6 runtime, to pin down how it picks among the
 * overloads and varargs of {@link ChatCommands} and how it hands over words like 42 or null.
 */
public class GogoDispatchTest {

    private static final List<String> FUNCTIONS = List.of("login", "logout", "roster", "send", "history", "server",
            "status");

    private ThreadIOImpl threadIO;
    private CommandSession session;
    private FakeRosterClient roster;
    private FakeChatService chat;
    private FakeRosterServer server;

    @Before
    public void setUp() {
        roster = new FakeRosterClient().with("alice", "127.0.0.1", 40000, Presence.ONLINE)
                .with("bob", "10.0.0.2", 40001, Presence.ONLINE);
        chat = new FakeChatService().answer("bob", new DeliveryResult(DeliveryStatus.DELIVERED, ""))
                .answer("alice", new DeliveryResult(DeliveryStatus.DELIVERED, ""));
        server = new FakeRosterServer();
        ChatCommands commands = new ChatCommands();
        commands.roster = roster;
        commands.chat = chat;
        commands.server = server;
        commands.transport = new FakeTransport();
        commands.zone = ZoneId.of("UTC");
        commands.sendTimeout = Duration.ofSeconds(5);

        threadIO = new ThreadIOImpl();
        threadIO.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIO);
        for (String function : FUNCTIONS) {
            processor.addCommand("chat", commands, function);
        }
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    @After
    public void tearDown() {
        session.close();
        threadIO.stop();
    }

    private Object run(String line) throws Exception {
        return session.execute(line);
    }

    @Test
    public void serverWithAnActionAndAPortPicksTheVarargsMethod() throws Exception {
        assertEquals("running 0.0.0.0:6000\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 0", run("chat:server start 6000"));
        assertEquals(null, server.startedHost);
        assertEquals(6000, server.startedPort);

        assertEquals("running 127.0.0.1:6001\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 0", run("chat:server start 127.0.0.1:6001"));
        assertEquals("127.0.0.1", server.startedHost);
    }

    @Test
    public void serverWithOnlyAnActionOrNothing() throws Exception {
        assertEquals("running 0.0.0.0:5555\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 0", run("chat:server start"));
        assertEquals("running 0.0.0.0:5555\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 0", run("chat:server info"));
        assertEquals("running 0.0.0.0:5555\nuptime 0s\nframes in 0 out 0\nrejects none\nclients 0", run("chat:server"));
        assertEquals("stopped", run("chat:server stop"));
    }

    @Test
    public void loginPicksTheOverloadByArgumentCount() throws Exception {
        assertEquals("logged in as alice at 127.0.0.1:5555 (2 online)", run("chat:login alice"));
        assertEquals(null, roster.lastLoginServer);
        assertEquals("logged in as alice at 10.1.1.1:6000 (2 online)", run("chat:login alice 10.1.1.1:6000"));
        assertEquals(new PeerAddress("10.1.1.1", 6000), roster.lastLoginServer);
    }

    @Test
    public void sendJoinsTheRemainingWordsAsTyped() throws Exception {
        run("chat:login alice");

        assertEquals("delivered bob\ndelivered alice", run("chat:send bob,alice 1.50 true 42 007 words"));
        assertEquals("1.50 true 42 007 words", chat.sent.get(0).text());

        run("chat:send bob 'two  spaces' kept");
        assertEquals("two  spaces kept", chat.sent.get(2).text());
    }

    /**
     * Gogo quirk, pinned here: a bare word null makes Gogo prefer its evaluated arguments, so other
     * words that look like numbers come out normalised. Quoting the text keeps it exact.
     */
    @Test
    public void aBareNullWordLetsGogoNormaliseNumbersUnlessQuoted() throws Exception {
        run("chat:login alice");

        run("chat:send bob 1.50 null");
        assertEquals("1.5 null", chat.sent.get(0).text());

        run("chat:send bob '1.50 null'");
        assertEquals("1.50 null", chat.sent.get(1).text());
    }

    @Test
    public void historyTakesAnOptionalCount() throws Exception {
        assertEquals("no messages with bob", run("chat:history bob"));
        assertEquals(20, chat.lastHistoryLimit);
        run("chat:history bob 5");
        assertEquals(5, chat.lastHistoryLimit);
        assertEquals("error: N must be a whole number of at least 1, got: x", run("chat:history bob x"));
    }

    @Test
    public void aMissingArgumentIsReportedByGogoItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("chat:login"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("Cannot coerce login()"));
    }
}
