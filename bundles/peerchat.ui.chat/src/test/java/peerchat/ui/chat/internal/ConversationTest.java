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
        assertTrue(conversation.apply(in(1), T));
        assertTrue(conversation.apply(out(2, DeliveryStatus.SENDING, ""), T));
        assertFalse("same id: an update", conversation.apply(out(2, DeliveryStatus.DELIVERED, ""), T));
        assertEquals(List.of(in(1), out(2, DeliveryStatus.DELIVERED, "")), conversation.messages());
    }

    @Test
    public void theNewestPageKeepsLiveMessagesThatCameWhileItWasRead() {
        Conversation conversation = new Conversation("bob");
        conversation.apply(out(6, DeliveryStatus.SENDING, ""), T);
        conversation.latest(List.of(in(3), out(5, DeliveryStatus.DELIVERED, "")), 2);
        assertEquals(List.of(in(3), out(5, DeliveryStatus.DELIVERED, ""), out(6, DeliveryStatus.SENDING, "")),
                conversation.messages());
        assertTrue("a full page: there may be older ones", conversation.hasOlder());
        assertEquals(3, conversation.oldestId());
    }

    @Test
    public void olderPagesArePrependedAndTheHeldWindowStaysBounded() {
        Conversation conversation = new Conversation("bob");
        conversation.latest(page(901, 1000), Conversation.PAGE);
        for (long end = 900; end > 0; end -= Conversation.PAGE) {
            conversation.older(page(end - Conversation.PAGE + 1, end), Conversation.PAGE);
            assertTrue(conversation.messages().size() <= Conversation.MAX_HELD);
        }
        assertEquals(1, conversation.oldestId());
        assertEquals(Conversation.MAX_HELD, conversation.messages().size());
        assertTrue("the newest were dropped", conversation.hasNewer());
        // a live message while the newest are not held is not held either (it comes with the newest page)
        assertTrue(conversation.apply(in(1001), T));
        assertFalse(conversation.holds(1001));
        conversation.older(List.of(), Conversation.PAGE);
        assertFalse("the first message is reached", conversation.hasOlder());
    }

    @Test
    public void liveMessagesDropTheOldestBeyondTheBound() {
        Conversation conversation = new Conversation("bob");
        conversation.latest(page(1, Conversation.MAX_HELD), Conversation.PAGE);
        conversation.apply(in(Conversation.MAX_HELD + 1), T);
        assertEquals(2, conversation.oldestId());
        assertTrue(conversation.hasOlder());
        assertEquals(Conversation.MAX_HELD, conversation.messages().size());
    }

    @Test
    public void thePageAroundASearchResultReplacesTheWindow() {
        Conversation conversation = new Conversation("bob");
        conversation.latest(page(901, 1000), Conversation.PAGE);
        conversation.around(page(401, 500), Conversation.PAGE);
        assertEquals(401, conversation.oldestId());
        assertTrue(conversation.holds(500));
        assertFalse(conversation.holds(1000));
        assertTrue(conversation.hasNewer());
        assertFalse("an update, not a new message", conversation.apply(in(1000), T));
        conversation.latest(page(901, 1000), Conversation.PAGE);
        assertFalse(conversation.hasNewer());
        assertTrue(conversation.holds(1000));
    }

    @Test
    public void aFailureSeenLiveKeepsItsTime() {
        Conversation conversation = new Conversation("bob");
        Instant later = T.plusSeconds(15);
        conversation.apply(out(1, DeliveryStatus.QUEUED, ""), T);
        conversation.apply(out(1, DeliveryStatus.FAILED, "no answer"), later);
        conversation.apply(out(1, DeliveryStatus.FAILED, "no answer"), later.plusSeconds(60));
        assertEquals(later, conversation.entries().get(0).failedAt());
    }

    @Test
    public void entriesInterleaveNotesAfterTheirMessages() {
        Conversation conversation = new Conversation("bob");
        conversation.note("first");
        conversation.apply(in(7), T);
        conversation.note("second");
        conversation.apply(in(8), T);
        assertEquals(List.of("first", "yo 7", "second", "yo 8"), conversation.entries().stream()
                .map(entry -> entry.message() == null ? entry.note() : entry.message().text()).toList());
    }

    private static List<ChatMessage> page(long first, long last) {
        return java.util.stream.LongStream.rangeClosed(first, last).mapToObj(ConversationTest::in).toList();
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
        conversation.apply(in(7), T);
        conversation.note("second");
        assertEquals(List.of(new Conversation.Note(0, 1, "first"), new Conversation.Note(7, 2, "second")), conversation.notes());
    }

    @Test
    public void theOtherSideNamesTheConversation() {
        assertEquals("bob", Conversation.peerOf(out(1, DeliveryStatus.SENDING, "")));
        assertEquals("bob", Conversation.peerOf(in(1)));
    }

    @Test
    public void deliveryMarks() {
        assertEquals("⋯ sending", TranscriptFormat.mark(out(1, DeliveryStatus.SENDING, "")));
        assertEquals("◷ queued", TranscriptFormat.mark(out(1, DeliveryStatus.QUEUED, "")));
        TranscriptFormat utc = new TranscriptFormat(ZoneOffset.UTC);
        assertEquals("✗ failed 14:03:27: timed out", utc.mark(out(1, DeliveryStatus.FAILED, "timed out"), T.plusSeconds(15)));
        assertEquals("from the history: the message's time", "✗ failed 14:03:12: timed out",
                utc.mark(out(1, DeliveryStatus.FAILED, "timed out"), null));
        assertEquals("bob is offline: the message is kept and goes out when bob is online again (also after a restart).",
                TranscriptFormat.tip(out(1, DeliveryStatus.QUEUED, ""), "bob"));
        assertEquals("✓ delivered", TranscriptFormat.mark(out(1, DeliveryStatus.DELIVERED, "")));
        assertEquals("→ sent", TranscriptFormat.mark(out(1, DeliveryStatus.SENT, "")));
        assertEquals("✗ failed: timed out", TranscriptFormat.mark(out(1, DeliveryStatus.FAILED, "timed out")));
        assertEquals("", TranscriptFormat.mark(in(1)));
        assertEquals("14:03:12", new TranscriptFormat(ZoneOffset.UTC).time(in(1)));
    }

    @Test
    public void lastSeenTodayIsOnlyATime() {
        TranscriptFormat utc = new TranscriptFormat(ZoneOffset.UTC);
        assertEquals("2:03 PM", utc.shortDateTime(T, T.plusSeconds(3600)).replace('\u202f', ' '));
        assertEquals(utc.dateTime(T), utc.shortDateTime(T, T.plusSeconds(86_400)));
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
