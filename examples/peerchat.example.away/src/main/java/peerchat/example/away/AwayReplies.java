package peerchat.example.away;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Presence;

/**
 * Decides when to answer: an incoming message while you are away gets one reply per peer; being
 * anything but away starts over. No OSGi here, so it is tested directly.
 */
final class AwayReplies {

    private final Set<String> answered = new HashSet<>(); // guarded by this

    /**
     * @param message    a conversation entry as a ChatListener sees it
     * @param myPresence your presence now (empty when unknown: not logged in)
     * @return the peer to reply to, if this message earns a reply
     */
    synchronized Optional<String> replyTo(ChatMessage message, Optional<Presence> myPresence) {
        if (myPresence.isEmpty() || myPresence.get() != Presence.AWAY) {
            answered.clear();
            return Optional.empty();
        }
        if (message.outgoing() || message.from() == null || message.from().isBlank()) {
            return Optional.empty();
        }
        String peer = message.from();
        return answered.add(peer.toLowerCase(Locale.ROOT)) ? Optional.of(peer) : Optional.empty();
    }

    /** You are back (or away again after being back): every peer gets a reply again next time. */
    synchronized void reset() {
        answered.clear();
    }
}
