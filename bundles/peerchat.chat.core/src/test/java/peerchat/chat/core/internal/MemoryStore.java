package peerchat.chat.core.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.store.MessageStore;
import peerchat.api.store.StateChange;
import peerchat.api.store.StoreException;
import peerchat.api.store.StoredContact;
import peerchat.api.store.StoredMessage;

/** The store seam for unit tests: in memory, with a switch that makes every write fail like a full disk. */
final class MemoryStore implements MessageStore {

    private final TreeMap<Long, StoredMessage> bySeq = new TreeMap<>();
    private final Map<String, Instant> seen = new TreeMap<>();
    private long nextSeq = 1;
    volatile String failWrites;
    int commits;

    @Override
    public synchronized List<StoredMessage> add(List<StoredMessage> messages) throws StoreException {
        failIfAsked();
        List<StoredMessage> result = new ArrayList<>();
        for (StoredMessage m : messages) {
            Optional<StoredMessage> existing = bySeq.values().stream()
                    .filter(s -> s.peer().equalsIgnoreCase(m.peer()) && s.outgoing() == m.outgoing()
                            && s.id().equals(m.id()))
                    .findFirst();
            if (existing.isPresent()) {
                result.add(existing.get());
                continue;
            }
            StoredMessage stored = new StoredMessage(nextSeq++, m.id(), m.peer(), m.outgoing(), m.from(), m.to(),
                    m.text(), m.sent(), m.received(), m.delivered(), m.state(), m.reason());
            bySeq.put(stored.seq(), stored);
            result.add(stored);
        }
        commits++;
        return result;
    }

    @Override
    public synchronized void update(List<StateChange> changes) throws StoreException {
        failIfAsked();
        for (StateChange change : changes) {
            StoredMessage m = bySeq.get(change.seq());
            if (m != null) {
                bySeq.put(m.seq(), new StoredMessage(m.seq(), m.id(), m.peer(), m.outgoing(), m.from(), m.to(),
                        m.text(), m.sent(), m.received(),
                        change.state() == DeliveryStatus.DELIVERED ? change.at() : m.delivered(), change.state(),
                        change.reason()));
            }
        }
        commits++;
    }

    private void failIfAsked() throws StoreException {
        String reason = failWrites;
        if (reason != null) {
            throw new StoreException(reason);
        }
    }

    @Override
    public synchronized Optional<StoredMessage> get(long seq) {
        return Optional.ofNullable(bySeq.get(seq));
    }

    @Override
    public synchronized List<StoredMessage> conversation(String peer, long beforeSeq, int limit) {
        List<StoredMessage> with = bySeq.headMap(beforeSeq, false).values().stream()
                .filter(m -> m.peer().equalsIgnoreCase(peer)).toList();
        return List.copyOf(with.subList(Math.max(0, with.size() - limit), with.size()));
    }

    @Override
    public synchronized long count(String peer) {
        return bySeq.values().stream().filter(m -> m.peer().equalsIgnoreCase(peer)).count();
    }

    @Override
    public synchronized List<StoredMessage> outbox() {
        return bySeq.values().stream().filter(StoredMessage::outgoing)
                .filter(m -> m.state() == DeliveryStatus.QUEUED || m.state() == DeliveryStatus.SENDING).toList();
    }

    @Override
    public synchronized List<StoredMessage> search(String text, String peer, int limit) {
        String lower = text.toLowerCase(Locale.ROOT);
        return bySeq.descendingMap().values().stream()
                .filter(m -> m.text().toLowerCase(Locale.ROOT).contains(lower))
                .filter(m -> peer == null || m.peer().equalsIgnoreCase(peer)).limit(limit).toList();
    }

    @Override
    public synchronized void seen(String name, Instant at) throws StoreException {
        failIfAsked();
        seen.put(name.toLowerCase(Locale.ROOT) + "\u0000" + name, at);
    }

    @Override
    public synchronized List<StoredContact> contacts() {
        Map<String, StoredContact> byName = new TreeMap<>();
        seen.forEach((key, at) -> {
            String name = key.substring(key.indexOf('\u0000') + 1);
            byName.put(name.toLowerCase(Locale.ROOT), new StoredContact(name, at, null));
        });
        for (StoredMessage m : bySeq.values()) {
            StoredContact before = byName.get(m.peer().toLowerCase(Locale.ROOT));
            Instant last = m.outgoing() ? m.sent() : m.received();
            byName.put(m.peer().toLowerCase(Locale.ROOT), new StoredContact(
                    before != null ? before.name() : m.peer(), before != null ? before.lastSeen() : null, last));
        }
        return byName.values().stream().sorted(Comparator.comparing(StoredContact::name)).toList();
    }

    @Override
    public Optional<String> fault() {
        return Optional.ofNullable(failWrites);
    }

    synchronized List<StoredMessage> all() {
        return List.copyOf(bySeq.values());
    }
}
