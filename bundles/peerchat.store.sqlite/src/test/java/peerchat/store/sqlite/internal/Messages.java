package peerchat.store.sqlite.internal;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.store.StoredMessage;

/** Test messages with increasing times. */
final class Messages {

    private static final AtomicLong TIME = new AtomicLong(1_700_000_000_000L);

    private Messages() {
    }

    static StoredMessage outgoing(String id, String peer, String text, DeliveryStatus state) {
        return new StoredMessage(0, id, peer, true, "me", peer, text, Instant.ofEpochMilli(TIME.incrementAndGet()),
                null, null, state, "");
    }

    static StoredMessage incoming(String id, String peer, String text) {
        Instant sent = Instant.ofEpochMilli(TIME.incrementAndGet());
        return new StoredMessage(0, id, peer, false, peer, "me", text, sent, sent.plusMillis(3), null,
                DeliveryStatus.DELIVERED, "");
    }

    static StoredMessage withSeq(StoredMessage m, long seq) {
        return new StoredMessage(seq, m.id(), m.peer(), m.outgoing(), m.from(), m.to(), m.text(), m.sent(),
                m.received(), m.delivered(), m.state(), m.reason());
    }
}
