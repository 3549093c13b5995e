package peerchat.ui.chat.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.Test;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;

public class ConversationTest {

    private static final Instant T = Instant.parse("2026-11-25T14:03:12Z");

    private static ChatMessage out(long id, DeliveryStatus status, String reason) {
        return new ChatMessage(id, T, "alice", "bob", "hi " + id, true, status, reason);
    }

    private static ChatMessage in(long id) {
        return new ChatMessage(id, T, "bob", "alice", "yo " + id, false, DeliveryStatus.DELIVERED, "");
    }

    @Test
    public void anUpdateReplacesTheMessageOfTheSameIdAndKeepsTheOrder() {
        Conversation conversation = new Conversation("bob");
        assertTrue(conversation.apply(out(2, DeliveryStatus.SENDING, "")));
        assertTrue(conversation.apply(in(1)));
        assertFalse("same id: an update", conversation.apply(out(2, DeliveryStatus.DELIVERED, "")));
        assertEquals(List.of(in(1), out(2, DeliveryStatus.DELIVERED, "")), conversation.messages());
    }

    @Test
    public void historyFillsInButDoesNotOverrideNewerStates() {
        Conversation conversation = new Conversation("bob");
        conversation.apply(out(5, DeliveryStatus.DELIVERED, ""));
        conversation.addHistory(List.of(in(3), out(5, DeliveryStatus.SENDING, "")));
        assertEquals(List.of(in(3), out(5, DeliveryStatus.DELIVERED, "")), conversation.messages());
    }

    @Test
    public void unreadCountsShowInTheTabTitle() {
        Conversation conversation = new Conversation("bob");
        assertEquals("bob", conversation.tabTitle());
        conversation.markUnread();
        conversation.markUnread();
        assertEquals("bob (2)", conversation.tabTitle());
        conversation.markRead();
        assertEquals("bob", conversation.tabTitle());
    }

    @Test
    public void notesComeAfterTheMessagesThatExistedThen() {
        Conversation conversation = new Conversation("bob");
        conversation.note("first");
        conversation.apply(in(7));
        conversation.note("second");
        assertEquals(List.of(new Conversation.Note(0, "first"), new Conversation.Note(7, "second")), conversation.notes());
    }

    @Test
    public void theOtherSideNamesTheConversation() {
        assertEquals("bob", Conversation.peerOf(out(1, DeliveryStatus.SENDING, "")));
        assertEquals("bob", Conversation.peerOf(in(1)));
    }

    @Test
    public void deliveryMarks() {
        assertEquals("⋯ sending", TranscriptFormat.mark(out(1, DeliveryStatus.SENDING, "")));
        assertEquals("✓ delivered", TranscriptFormat.mark(out(1, DeliveryStatus.DELIVERED, "")));
        assertEquals("→ sent", TranscriptFormat.mark(out(1, DeliveryStatus.SENT, "")));
        assertEquals("✗ failed: timed out", TranscriptFormat.mark(out(1, DeliveryStatus.FAILED, "timed out")));
        assertEquals("", TranscriptFormat.mark(in(1)));
        assertEquals("14:03:12", new TranscriptFormat(ZoneOffset.UTC).time(in(1)));
    }

    @Test
    public void urlsAreFoundWithoutTrailingPunctuation() {
        String text = "see https://example.org/a?b=1, and http://x.y/z.";
        int first = text.indexOf("https");
        int second = text.indexOf("http://");
        assertArrayEquals(new int[] { first, first + "https://example.org/a?b=1".length(), second,
                second + "http://x.y/z".length() }, TranscriptFormat.urls(text));
        assertArrayEquals(new int[0], TranscriptFormat.urls("no links, ftp://nope"));
    }
}
