package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

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
        assertEquals("carol [::1]:40001 busy", Lines.rosterLine(
                new RosterEntry("carol", new PeerAddress("::1", 40001), Presence.BUSY, "", false)));
    }

    @Test
    public void rosterLineShowsLegacyClientsAndStatusText() {
        assertEquals("bob 127.0.0.1:40001 away \"at lunch\\n back at 2\"", Lines.rosterLine(
                new RosterEntry("bob", new PeerAddress("127.0.0.1", 40001), Presence.AWAY, "at lunch\n back at 2", false)));
        assertEquals("old 127.0.0.1:6001 online legacy", Lines.rosterLine(
                new RosterEntry("old", new PeerAddress("127.0.0.1", 6001), Presence.ONLINE, "", true)));
    }

    @Test
    public void historyLineUsesLocalTimeAndKeepsOneMessageOnOneLine() {
        ChatMessage message = new ChatMessage(7, Instant.parse("2026-11-02T10:15:30Z"), "alice", "bob",
                "first\nsecond\r\nthird \uD83D\uDE00", true, DeliveryStatus.DELIVERED, "");

        assertEquals("11:15:30 alice -> bob: first\\nsecond\\r\\nthird \uD83D\uDE00",
                Lines.historyLine(message, ZoneId.of("Europe/Berlin"), LocalDate.parse("2026-11-02")));
        assertEquals("10:15:30 alice -> bob: first\\nsecond\\r\\nthird \uD83D\uDE00",
                Lines.historyLine(message, ZoneId.of("UTC"), LocalDate.parse("2026-11-02")));
    }

    @Test
    public void historyLineShowsTheDateOfAnotherDayAndMarksUndeliveredOutgoingMessages() {
        Instant time = Instant.parse("2026-11-02T10:15:30Z");
        ZoneId utc = ZoneId.of("UTC");
        LocalDate nextDay = LocalDate.parse("2026-11-03");
        assertEquals("2026-11-02 10:15:30 alice -> bob: hi [queued]", Lines.historyLine(
                new ChatMessage(1, time, "alice", "bob", "hi", true, DeliveryStatus.QUEUED, "offline"), utc, nextDay));
        assertEquals("2026-11-02 10:15:30 alice -> bob: hi [sending]", Lines.historyLine(
                new ChatMessage(2, time, "alice", "bob", "hi", true, DeliveryStatus.SENDING, ""), utc, nextDay));
        assertEquals("2026-11-02 10:15:30 alice -> bob: hi [failed: expired]", Lines.historyLine(
                new ChatMessage(3, time, "alice", "bob", "hi", true, DeliveryStatus.FAILED, "expired"), utc, nextDay));
        assertEquals("2026-11-02 10:15:30 bob -> alice: hi", Lines.historyLine(
                new ChatMessage(4, time, "bob", "alice", "hi", false, DeliveryStatus.DELIVERED, ""), utc, nextDay));
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
        assertEquals("queued bob (offline)", Lines.outcomeLine("bob", new DeliveryResult(DeliveryStatus.QUEUED, "")));
        assertEquals("queued bob (not acknowledged in time)", Lines.outcomeLine("bob",
                new DeliveryResult(DeliveryStatus.QUEUED, "not acknowledged in time")));
    }

    @Test
    public void serverLines() {
        assertEquals(List.of("running 0.0.0.0:5555", "uptime 0s", "frames in 0 out 0", "rejects none", "clients 2", "alice", "bob"), Lines.serverLines(
                new ServerInfo(true, new PeerAddress("0.0.0.0", 5555), List.of("alice", "bob"))));
        assertEquals(List.of("stopped", "clients 0"), Lines.serverLines(new ServerInfo(false, null, List.of())));
    }

    @Test
    public void serverLinesShowUptimeFramesAndRejectsByReason() {
        ServerInfo info = new ServerInfo(true, new PeerAddress("127.0.0.1", 5555), List.of("alice"),
                Duration.ofSeconds(3723), 40, 55, Map.of("timeout", 2L, "name_taken", 1L));
        assertEquals(List.of("running 127.0.0.1:5555", "uptime 1h 02m 03s", "frames in 40 out 55",
                "rejects name_taken=1 timeout=2", "clients 1", "alice"), Lines.serverLines(info));
        assertEquals("4m 05s", Lines.uptime(Duration.ofSeconds(245)));
        assertEquals("6s", Lines.uptime(Duration.ofMillis(6900)));
    }

    @Test
    public void errorIsOneLine() {
        assertEquals("error: bad\\nthing", Lines.error("bad\nthing"));
    }
}
