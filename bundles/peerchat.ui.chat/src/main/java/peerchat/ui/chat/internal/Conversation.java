package peerchat.ui.chat.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;

/**
 * What the Conversations view holds of the conversation with one peer: a window of at most
 * {@link #MAX_HELD} consecutive messages of the chat core's history (the newest page when a tab
 * opens, older pages as the user scrolls up, or the page around a search result), kept up to date with
 * the {@code ChatListener} changes that fall inside it; plus the view's own notes (e.g. a send that
 * was refused). The chat core keeps the whole conversation; this is only what is shown. Not
 * thread-safe: the UI thread owns it.
 */
final class Conversation {

    /** Messages asked for at once, when a tab opens, when scrolling up and around a search result. */
    static final int PAGE = 100;
    /** At most this many messages are held; pages far from where the user looks are dropped. */
    static final int MAX_HELD = 400;
    /** At most this many notes are kept. */
    static final int MAX_NOTES = 50;

    /** A line the view adds itself, shown after the message {@code afterId} (0: before all). */
    record Note(long afterId, int seq, String text) {
    }

    /**
     * One line of the transcript, in order of {@code id} then {@code seq}: a message ({@code seq} 0) or a
     * note after message {@code id} ({@code seq} &gt; 0). {@code failedAt} is when a failed outgoing
     * message was seen failing.
     */
    record Entry(long id, int seq, ChatMessage message, String note, Instant failedAt) {

        static Entry of(ChatMessage message, Instant failedAt) {
            return new Entry(message.id(), 0, message, null, failedAt);
        }

        static Entry of(Note note) {
            return new Entry(note.afterId(), note.seq(), null, note.text(), null);
        }

        int compareKey(Entry other) {
            int byId = Long.compare(id, other.id);
            return byId != 0 ? byId : Integer.compare(seq, other.seq);
        }
    }

    private final String peer;
    private final TreeMap<Long, ChatMessage> messages = new TreeMap<>();
    /** When a held outgoing message was seen failing here (a live change); history shows its own time. */
    private final Map<Long, Instant> failedAt = new HashMap<>();
    private final List<Note> notes = new ArrayList<>();
    private int noteSeq;
    /** The history has messages older than the oldest held one. */
    private boolean hasOlder;
    /** Messages newer than the newest held one exist (the window was moved back); live ones are not held then. */
    private boolean hasNewer;
    /** The highest message id seen for this peer, held or not: a higher one is new, not an update. */
    private long lastSeenId;
    private int unread;

    Conversation(String peer) {
        this.peer = peer;
    }

    String peer() {
        return peer;
    }

    /**
     * A message from the {@code ChatListener}: new, or a change of one (same id). Held when it falls
     * inside the window or right after its newest message (then the oldest are dropped beyond
     * {@link #MAX_HELD}).
     *
     * @param now when the change is seen (the failure time of a message that now failed)
     * @return true when the message is new (not an update of one seen before)
     */
    boolean apply(ChatMessage message, Instant now) {
        boolean fresh = message.id() > lastSeenId;
        lastSeenId = Math.max(lastSeenId, message.id());
        ChatMessage before = messages.get(message.id());
        boolean held = before != null
                || messages.isEmpty() && !hasNewer && !hasOlder
                || !messages.isEmpty() && message.id() > messages.lastKey() && !hasNewer
                || !messages.isEmpty() && message.id() > messages.firstKey() && message.id() < messages.lastKey();
        if (!held) {
            return fresh;
        }
        if (message.outgoing() && message.status() == DeliveryStatus.FAILED
                && (before == null || before.status() != DeliveryStatus.FAILED)) {
            failedAt.put(message.id(), now);
        }
        messages.put(message.id(), message);
        while (messages.size() > MAX_HELD) {
            failedAt.remove(messages.pollFirstEntry().getKey());
            hasOlder = true;
        }
        return fresh;
    }

    /** The newest page of the history (a tab opens, or the user came back from older pages): replaces the window. */
    void latest(Collection<ChatMessage> page, int limit) {
        // live messages newer than the page (they came while it was read) stay
        TreeMap<Long, ChatMessage> newer = new TreeMap<>();
        long last = page.stream().mapToLong(ChatMessage::id).max().orElse(0);
        if (!hasNewer) {
            newer.putAll(messages.tailMap(last, false));
        }
        replace(page);
        messages.putAll(newer);
        hasOlder = page.size() >= limit;
        hasNewer = false;
    }

    /** The page that ends with a search result: replaces the window; newer messages are not held. */
    void around(Collection<ChatMessage> page, int limit) {
        replace(page);
        hasOlder = page.size() >= limit;
        hasNewer = true;
    }

    /** An older page (the user scrolled to the top): prepended; the newest are dropped beyond {@link #MAX_HELD}. */
    void older(Collection<ChatMessage> page, int limit) {
        for (ChatMessage message : page) {
            messages.putIfAbsent(message.id(), message);
            lastSeenId = Math.max(lastSeenId, message.id());
        }
        hasOlder = page.size() >= limit;
        while (messages.size() > MAX_HELD) {
            failedAt.remove(messages.pollLastEntry().getKey());
            hasNewer = true;
        }
    }

    private void replace(Collection<ChatMessage> page) {
        messages.clear();
        failedAt.keySet().retainAll(page.stream().map(ChatMessage::id).toList());
        for (ChatMessage message : page) {
            messages.put(message.id(), message);
            lastSeenId = Math.max(lastSeenId, message.id());
        }
    }

    /** The tab closed: nothing is held any more (the unread count stays). */
    void forget() {
        messages.clear();
        failedAt.clear();
        hasOlder = false;
        hasNewer = false;
    }

    boolean hasOlder() {
        return hasOlder;
    }

    boolean hasNewer() {
        return hasNewer;
    }

    /** The id of the oldest message held; {@link Long#MAX_VALUE} when none is. */
    long oldestId() {
        return messages.isEmpty() ? Long.MAX_VALUE : messages.firstKey();
    }

    boolean holds(long id) {
        return messages.containsKey(id);
    }

    void note(String text) {
        long after = hasNewer ? Math.max(lastSeenId, messages.isEmpty() ? 0 : messages.lastKey())
                : messages.isEmpty() ? 0 : messages.lastKey();
        notes.add(new Note(after, ++noteSeq, text));
        if (notes.size() > MAX_NOTES) {
            notes.remove(0);
        }
    }

    /** The messages held, oldest first. */
    List<ChatMessage> messages() {
        return List.copyOf(messages.values());
    }

    List<Note> notes() {
        return List.copyOf(notes);
    }

    /**
     * What the transcript shows, in order: the held messages and the notes that fall among them (a note
     * after the newest held message only while no newer ones exist).
     */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(messages.size() + notes.size());
        long first = messages.isEmpty() ? Long.MIN_VALUE : messages.firstKey();
        long last = messages.isEmpty() ? Long.MAX_VALUE : messages.lastKey();
        List<Note> shown = notes.stream()
                .filter(note -> (!hasOlder || note.afterId() >= first) && (!hasNewer || note.afterId() < last))
                .sorted(java.util.Comparator.comparingLong(Note::afterId).thenComparingInt(Note::seq))
                .toList();
        int n = 0;
        for (ChatMessage message : messages.values()) {
            while (n < shown.size() && shown.get(n).afterId() < message.id()) {
                entries.add(Entry.of(shown.get(n++)));
            }
            entries.add(Entry.of(message, failedAt.get(message.id())));
        }
        while (n < shown.size()) {
            entries.add(Entry.of(shown.get(n++)));
        }
        return entries;
    }

    int unread() {
        return unread;
    }

    void markUnread() {
        unread++;
    }

    void markRead() {
        unread = 0;
    }

    /** Which conversation a message belongs to: the other side. */
    static String peerOf(ChatMessage message) {
        return message.outgoing() ? message.to() : message.from();
    }

    /** "bob" or "bob (3)". */
    String tabTitle() {
        return unread == 0 ? peer : peer + " (" + unread + ")";
    }
}
