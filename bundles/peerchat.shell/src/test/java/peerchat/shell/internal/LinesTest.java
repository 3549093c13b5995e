package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.Test;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.ServerInfo;

public class LinesTest {

    @Test
    public void rosterLineHasNameAddressAndLowerCasePresence() {
        assertEquals("alice 127.0.0.1:40000 online", Lines.rosterLine(
                new RosterEntry("alice", new PeerAddress("127.0.0.1", 40000), Presence.ONLINE, "", false)));
        assertEquals("bob [::1]:40001 away", Lines.rosterLine(
                new RosterEntry("bob", new PeerAddress("::1", 40001), Presence.AWAY, "lunch", false)));
    }

    @Test
    public void historyLineUsesLocalTimeAndKeepsOneMessageOnOneLine() {
        ChatMessage message = new ChatMessage(7, Instant.parse("2026-11-02T10:15:30Z"), "alice", "bob",
                "first\nsecond\r\nthird \uD83D\uDE00", true, DeliveryStatus.DELIVERED, "");

        assertEquals("11:15:30 alice -> bob: first\\nsecond\\r\\nthird \uD83D\uDE00",
                Lines.historyLine(message, ZoneId.of("Europe/Berlin")));
        assertEquals("10:15:30 alice -> bob: first\\nsecond\\r\\nthird \uD83D\uDE00",
                Lines.historyLine(message, ZoneId.of("UTC")));
    }

    @Test
    public void outcomeLinePerStatus() {
        assertEquals("delivered bob", Lines.outcomeLine("bob", new DeliveryResult(DeliveryStatus.DELIVERED, "")));
        assertEquals("sent old", Lines.outcomeLine("old", new DeliveryResult(DeliveryStatus.SENT, "")));
        assertEquals("undelivered bob: timed out",
                Lines.outcomeLine("bob", new DeliveryResult(DeliveryStatus.FAILED, "timed out")));
        assertEquals("undelivered bob: no reason given",
                Lines.outcomeLine("bob", new DeliveryResult(DeliveryStatus.FAILED, "")));
        assertEquals("undelivered bob: no outcome yet",
                Lines.outcomeLine("bob", new DeliveryResult(DeliveryStatus.SENDING, "")));
    }

    @Test
    public void serverLines() {
        assertEquals(List.of("running 0.0.0.0:5555", "clients 2", "alice", "bob"), Lines.serverLines(
                new ServerInfo(true, new PeerAddress("0.0.0.0", 5555), List.of("alice", "bob"))));
        assertEquals(List.of("stopped", "clients 0"), Lines.serverLines(new ServerInfo(false, null, List.of())));
    }

    @Test
    public void errorIsOneLine() {
        assertEquals("error: bad\\nthing", Lines.error("bad\nthing"));
    }
}
