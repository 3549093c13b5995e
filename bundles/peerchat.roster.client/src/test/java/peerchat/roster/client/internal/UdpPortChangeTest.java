package peerchat.roster.client.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.Presence;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.Protocol;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;

/** A replaced transport on another port is announced at once (hot swap), keeping presence and status. */
public class UdpPortChangeTest {

    private final RecordingLog log = new RecordingLog();
    private final AtomicInteger port = new AtomicInteger(6001);
    private final FakeServer server;
    private final RosterClientEngine client;

    public UdpPortChangeTest() throws IOException {
        server = new FakeServer();
        client = new RosterClientEngine(log, new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                () -> port.get() == 0 ? OptionalInt.empty() : OptionalInt.of(port.get()), event -> { }, server.address());
    }

    @After
    public void tearDown() throws IOException {
        client.close();
        server.close();
    }

    @Test(timeout = 20_000)
    public void aNewPortLogsInAgainWithItAndTheSamePresence() throws Exception {
        var login = client.login("alice", null);
        try (FakeServer.Peer first = server.accept()) {
            first.expect(Frame.Hello.class);
            first.send(new Frame.Snapshot(List.of(WireEntry.online("alice", "127.0.0.1", 6001))));
            login.get(5, TimeUnit.SECONDS);
            var presence = client.setPresence(Presence.AWAY, "lunch");
            first.expect(Frame.SetPresence.class);
            first.send(new Frame.PresenceChanged(
                    new WireEntry("alice", "127.0.0.1", 6001, WirePresence.AWAY, "lunch", false)));
            presence.get(5, TimeUnit.SECONDS);

            assertFalse("same port: nothing to do", client.udpPortChanged());
            port.set(0);
            assertFalse("no transport: nothing to announce", client.udpPortChanged());
            port.set(6101);
            assertTrue(client.udpPortChanged());
            assertEquals(ConnectionState.RECONNECTING, client.state());
            assertEquals(1, client.roster().size()); // kept, stale, meanwhile
            assertEquals(Frame.Bye.class, first.next().getClass());
        }
        try (FakeServer.Peer second = server.accept()) {
            assertEquals(new Frame.Hello(Protocol.VERSION, "alice", 6101, WirePresence.AWAY, "lunch"), second.next());
            second.send(new Frame.Snapshot(
                    List.of(new WireEntry("alice", "127.0.0.1", 6101, WirePresence.AWAY, "lunch", false))));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (client.state() != ConnectionState.ONLINE && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(ConnectionState.ONLINE, client.state());
            assertEquals(6101, client.find("alice").orElseThrow().address().port());
        }
    }
}
