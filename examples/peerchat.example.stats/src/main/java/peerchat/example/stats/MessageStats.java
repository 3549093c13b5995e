package peerchat.example.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;

/**
 * Counts messages per peer from conversation entries as a ChatListener sees them: each message once
 * (an outgoing one is seen again when its status changes), failures when they fail. Thread-safe.
 */
final class MessageStats {

    /** One row of the view. */
    record Row(String peer, int sent, int received, int failed, long characters, Instant last) {
    }

    private final Map<String, Row> rows = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // guarded by this
    private final Set<Long> seen = new HashSet<>(); // guarded by this
    private final Set<Long> failed = new HashSet<>(); // guarded by this

    /** @return true when the counters changed */
    synchronized boolean add(ChatMessage message) {
        String peer = message.outgoing() ? message.to() : message.from();
        Row row = rows.getOrDefault(peer, new Row(peer, 0, 0, 0, 0, null));
        boolean changed = false;
        if (seen.add(message.id())) {
            int length = message.text() == null ? 0 : message.text().length();
            row = message.outgoing()
                    ? new Row(peer, row.sent() + 1, row.received(), row.failed(), row.characters() + length, message.time())
                    : new Row(peer, row.sent(), row.received() + 1, row.failed(), row.characters() + length, message.time());
            changed = true;
        }
        if (message.status() == DeliveryStatus.FAILED && failed.add(message.id())) {
            row = new Row(peer, row.sent(), row.received(), row.failed() + 1, row.characters(), row.last());
            changed = true;
        }
        if (changed) {
            rows.put(peer, row);
        }
        return changed;
    }

    /** The rows, by peer name. */
    synchronized List<Row> rows() {
        return new ArrayList<>(rows.values());
    }

    /** One line per peer, as the view's tooltip and the tests show it. */
    static String describe(Row row) {
        return String.format(Locale.ROOT, "%s: %d sent, %d received, %d failed, %d characters", row.peer(),
                row.sent(), row.received(), row.failed(), row.characters());
    }
}
