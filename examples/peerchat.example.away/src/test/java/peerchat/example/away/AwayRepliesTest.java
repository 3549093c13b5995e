package peerchat.example.away;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.Optional;

import org.junit.Test;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.Presence;

public class AwayRepliesTest {

    private static final Optional<Presence> AWAY = Optional.of(Presence.AWAY);
    private static final Optional<Presence> ONLINE = Optional.of(Presence.ONLINE);

    private final AwayReplies replies = new AwayReplies();
    private long id;

    private ChatMessage from(String peer) {
        return new ChatMessage(++id, Instant.EPOCH, peer, "alice", "hi", false, DeliveryStatus.DELIVERED, "");
    }

    private ChatMessage to(String peer) {
        return new ChatMessage(++id, Instant.EPOCH, "alice", peer, "hi", true, DeliveryStatus.SENDING, "");
    }

    @Test
    public void repliesOncePerPeerWhileAway() {
        assertEquals(Optional.of("bob"), replies.replyTo(from("bob"), AWAY));
        assertEquals(Optional.empty(), replies.replyTo(from("bob"), AWAY));
        assertEquals(Optional.empty(), replies.replyTo(from("Bob"), AWAY));
        assertEquals(Optional.of("carol"), replies.replyTo(from("carol"), AWAY));
    }

    @Test
    public void neverRepliesWhenNotAwayOrUnknown() {
        assertEquals(Optional.empty(), replies.replyTo(from("bob"), ONLINE));
        assertEquals(Optional.empty(), replies.replyTo(from("bob"), Optional.of(Presence.BUSY)));
        assertEquals(Optional.empty(), replies.replyTo(from("bob"), Optional.empty()));
    }

    @Test
    public void neverRepliesToOwnMessages() {
        assertEquals(Optional.empty(), replies.replyTo(to("bob"), AWAY));
    }

    @Test
    public void comingBackStartsOver() {
        assertEquals(Optional.of("bob"), replies.replyTo(from("bob"), AWAY));
        replies.reset();
        assertEquals(Optional.of("bob"), replies.replyTo(from("bob"), AWAY));
        replies.replyTo(from("bob"), ONLINE); // seen while online: also starts over
        assertEquals(Optional.of("bob"), replies.replyTo(from("bob"), AWAY));
    }
}
