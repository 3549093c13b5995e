package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;

public class PresenceCommandsTest {

    private final PresenceRoster roster = new PresenceRoster();
    private final PresenceCommands commands = new PresenceCommands();

    @Before
    public void setUp() {
        commands.roster = roster;
        commands.timeout = Duration.ofMillis(500);
    }

    @Test
    public void showsYourPresenceAndStatus() {
        assertEquals("error: not logged in", commands.status());
        roster.userName = "alice";
        assertEquals("alice online", commands.status());
        roster.me = new RosterEntry("alice", new PeerAddress("127.0.0.1", 6001), Presence.AWAY, "lunch", false);
        assertEquals("alice away lunch", commands.status());
        roster.state = ConnectionState.RECONNECTING;
        assertEquals("alice away lunch (stale: reconnecting)", commands.status());
    }

    @Test
    public void setsPresenceWithTheWordsAsText() {
        roster.userName = "alice";
        assertEquals("status away gone for lunch", commands.status("away", "gone", "for", "lunch"));
        assertEquals(List.of("AWAY:gone for lunch"), roster.calls);
        assertEquals("status busy", commands.status("BUSY"));
        assertEquals("status online", commands.status("online", new String[0]));
        assertEquals(List.of("AWAY:gone for lunch", "BUSY:", "ONLINE:"), roster.calls);
    }

    @Test
    public void clearErrors() {
        assertEquals("error: not logged in", commands.status("away", "x"));
        roster.userName = "alice";
        assertEquals("error: unknown presence 'gone': expected online, away or busy "
                + "(usage: chat:status [online|away|busy [TEXT...]])", commands.status("gone"));
        assertEquals("status away " + "x".repeat(140), commands.status("away", "x".repeat(140)));
        assertEquals("error: status text too long: 141 characters, at most 140",
                commands.status("away", "x".repeat(141)));
        assertEquals("error: status text must be one line without control characters",
                commands.status("away", "a\nb"));
        roster.failure = new IOException("lost connection to the roster server: closed");
        assertEquals("error: lost connection to the roster server: closed", commands.status("busy"));
        roster.failure = null;
        roster.hang = true;
        assertEquals("error: the roster server did not confirm within 500 ms", commands.status("busy"));
        commands.roster = null;
        assertEquals("error: roster client bundle is not running", commands.status());
        assertEquals("error: roster client bundle is not running", commands.status("away"));
    }

    @Test
    public void gogoPicksTheOverloadByArgumentCount() throws Exception {
        roster.userName = "alice";
        ThreadIOImpl threadIO = new ThreadIOImpl();
        threadIO.start();
        try {
            CommandProcessorImpl processor = new CommandProcessorImpl(threadIO);
            processor.addCommand("chat", commands, "status");
            CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                    new ByteArrayOutputStream(), new ByteArrayOutputStream());
            try {
                assertEquals("alice online", session.execute("chat:status"));
                assertEquals("status away back at 3", session.execute("chat:status away back at 3"));
                assertEquals("status busy", session.execute("chat:status busy"));
                assertEquals(List.of("AWAY:back at 3", "BUSY:"), roster.calls);
            } finally {
                session.close();
            }
        } finally {
            threadIO.stop();
        }
    }

    /** A roster client that records presence changes and confirms them at once (or fails or hangs). */
    private static final class PresenceRoster implements RosterClient {
        final List<String> calls = new ArrayList<>();
        String userName;
        RosterEntry me;
        ConnectionState state = ConnectionState.ONLINE;
        Exception failure;
        boolean hang;

        @Override
        public CompletionStage<Void> setPresence(Presence presence, String status) {
            if (hang) {
                return new CompletableFuture<>();
            }
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            calls.add(presence + ":" + status);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<List<RosterEntry>> login(String name, PeerAddress server) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletionStage<Void> logout() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<RosterEntry> roster() {
            return me == null ? List.of() : List.of(me);
        }

        @Override
        public Optional<RosterEntry> find(String name) {
            if (userName != null && userName.equalsIgnoreCase(name)) {
                return Optional.of(me != null ? me
                        : new RosterEntry(userName, new PeerAddress("127.0.0.1", 6001), Presence.ONLINE, "", false));
            }
            return Optional.empty();
        }

        @Override
        public Optional<RosterEntry> findByAddress(PeerAddress address) {
            return Optional.empty();
        }

        @Override
        public Optional<String> userName() {
            return Optional.ofNullable(userName);
        }

        @Override
        public PeerAddress serverAddress() {
            return new PeerAddress("127.0.0.1", 5555);
        }

        @Override
        public ConnectionState state() {
            return state;
        }
    }
}
