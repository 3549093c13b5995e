package peerchat.roster.client.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;

public class RosterTest {

    private static RosterEntry entry(String name, String host, int port) {
        return new RosterEntry(name, new PeerAddress(host, port), Presence.ONLINE, "", false);
    }

    private static final RosterEntry ALICE = entry("alice", "192.168.1.10", 6001);
    private static final RosterEntry BOB = entry("Bob", "192.168.1.10", 6002);
    private static final RosterEntry CAROL = entry("carol", "192.168.1.20", 6002);
    private static final RosterEntry DAN = entry("dan", "192.168.1.30", 7000);

    @Test
    public void entriesAreSortedIgnoringCase() {
        Roster roster = Roster.of(List.of(CAROL, ALICE, BOB));
        assertEquals(List.of(ALICE, BOB, CAROL), roster.entries());
    }

    @Test
    public void findIgnoresCase() {
        Roster roster = Roster.of(List.of(ALICE, BOB));
        assertEquals(Optional.of(BOB), roster.find("BOB"));
        assertEquals(Optional.empty(), roster.find("zed"));
        assertEquals(Optional.empty(), roster.find(null));
    }

    @Test
    public void withReplacesAndWithoutRemoves() {
        Roster roster = Roster.of(List.of(ALICE, BOB));
        RosterEntry busyBob = new RosterEntry("Bob", BOB.address(), Presence.BUSY, "", false);
        assertEquals(List.of(ALICE, busyBob), roster.with(busyBob).entries());
        assertEquals(List.of(ALICE), roster.without("bob").entries());
        assertSame(roster, roster.without("nobody"));
        assertEquals(List.of(ALICE, BOB), roster.entries()); // unchanged: rosters are immutable
    }

    @Test
    public void exactHostAndPortMatch() {
        Roster roster = Roster.of(List.of(ALICE, BOB, CAROL));
        assertEquals(Optional.of(CAROL), roster.findByAddress(new PeerAddress("192.168.1.20", 6002)));
        assertEquals(Optional.of(BOB), roster.findByAddress(new PeerAddress("192.168.1.10", 6002)));
    }

    @Test
    public void loopbackSourceMatchesTheOnlyEntryWithThatPort() {
        Roster roster = Roster.of(List.of(ALICE, BOB, CAROL, DAN));
        assertEquals(Optional.of(ALICE), roster.findByAddress(new PeerAddress("127.0.0.1", 6001)));
        assertEquals(Optional.of(DAN), roster.findByAddress(new PeerAddress("::1", 7000)));
    }

    @Test
    public void loopbackSourceWithAnAmbiguousPortMatchesNobody() {
        Roster roster = Roster.of(List.of(ALICE, BOB, CAROL));
        assertEquals(Optional.empty(), roster.findByAddress(new PeerAddress("127.0.0.1", 6002)));
    }

    @Test
    public void otherHostWithTheSamePortMatchesNobody() {
        Roster roster = Roster.of(List.of(ALICE));
        assertEquals(Optional.empty(), roster.findByAddress(new PeerAddress("192.168.1.99", 6001)));
        assertEquals(Optional.empty(), roster.findByAddress(new PeerAddress("192.168.1.10", 9999)));
        assertEquals(Optional.empty(), roster.findByAddress(null));
    }

    @Test
    public void loopbackIsRecognisedTextually() {
        assertTrue(Roster.isLoopback("127.0.0.1"));
        assertTrue(Roster.isLoopback("127.1.2.3"));
        assertTrue(Roster.isLoopback("::1"));
        assertTrue(Roster.isLoopback("localhost"));
        assertTrue(!Roster.isLoopback("192.168.1.10"));
        assertTrue(!Roster.isLoopback("1270.0.0.1.example"));
    }
}
