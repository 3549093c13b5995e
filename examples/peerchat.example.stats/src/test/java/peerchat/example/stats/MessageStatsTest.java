package peerchat.example.stats;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.Test;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;

public class MessageStatsTest {

    private final MessageStats stats = new MessageStats();

    private static ChatMessage out(long id, String to, String text, DeliveryStatus status) {
        return new ChatMessage(id, Instant.ofEpochSecond(id), "alice", to, text, true, status, "");
    }

    private static ChatMessage in(long id, String from, String text) {
        return new ChatMessage(id, Instant.ofEpochSecond(id), from, "alice", text, false, DeliveryStatus.DELIVERED, "");
    }

    @Test
    public void countsEachMessageOncePerPeer() {
        assertTrue(stats.add(out(1, "bob", "hello", DeliveryStatus.SENDING)));
        assertFalse("status change of the same message", stats.add(out(1, "bob", "hello", DeliveryStatus.DELIVERED)));
        assertTrue(stats.add(in(2, "bob", "hi")));
        assertTrue(stats.add(in(3, "carol", "hey")));
        List<MessageStats.Row> rows = stats.rows();
        assertEquals(2, rows.size());
        assertEquals("bob: 1 sent, 1 received, 0 failed, 7 characters", MessageStats.describe(rows.get(0)));
        assertEquals(Instant.ofEpochSecond(2), rows.get(0).last());
        assertEquals("carol: 0 sent, 1 received, 0 failed, 3 characters", MessageStats.describe(rows.get(1)));
    }

    @Test
    public void countsAFailureOnce() {
        stats.add(out(1, "bob", "x", DeliveryStatus.SENDING));
        assertTrue(stats.add(out(1, "bob", "x", DeliveryStatus.FAILED)));
        assertFalse(stats.add(out(1, "bob", "x", DeliveryStatus.FAILED)));
        assertEquals(1, stats.rows().get(0).failed());
    }

    @Test
    public void peersDifferingInCaseShareARow() {
        stats.add(in(1, "Bob", "a"));
        stats.add(in(2, "bob", "b"));
        assertEquals(1, stats.rows().size());
        assertEquals(2, stats.rows().get(0).received());
    }
}
