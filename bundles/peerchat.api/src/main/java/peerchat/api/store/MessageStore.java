package peerchat.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable store of every message this workbench sent or received. Writes are transactions that
 * are on disk (synced) when the call returns: a caller that was told "stored" may acknowledge. Peer
 * names compare ignoring case. Reads never block on writes for long. All methods are thread-safe.
 */
@ProviderType
public interface MessageStore {

    /**
     * Stores messages in one transaction (one sync for the whole batch). A message whose
     * {@code (peer, outgoing, id)} is already stored is not stored again. The {@code seq} of the
     * given messages is ignored.
     *
     * @return for each given message, in order, the stored one: newly stored with its seq, or the
     *         copy stored before (a duplicate)
     * @throws StoreException when the batch cannot be written; then none of it is stored
     */
    List<StoredMessage> add(List<StoredMessage> messages) throws StoreException;

    /**
     * Applies state changes in one transaction; changes to unknown seqs are ignored.
     *
     * @throws StoreException when they cannot be written; then none took effect
     */
    void update(List<StateChange> changes) throws StoreException;

    /** The message with this seq. */
    Optional<StoredMessage> get(long seq);

    /**
     * Up to {@code limit} messages with {@code peer} whose seq is below {@code beforeSeq} (use
     * {@link Long#MAX_VALUE} for the newest), oldest first.
     */
    List<StoredMessage> conversation(String peer, long beforeSeq, int limit);

    /** Number of messages with {@code peer}. */
    long count(String peer);

    /** Outgoing messages in state QUEUED or SENDING, oldest first: what still has to go out. */
    List<StoredMessage> outbox();

    /**
     * Messages whose text contains {@code text} (case-insensitive), with {@code peer} only when it is
     * not null, newest first, at most {@code limit}.
     */
    List<StoredMessage> search(String text, String peer, int limit);

    /** Records that {@code name} was seen online at {@code at} (kept as a contact). */
    void seen(String name, Instant at) throws StoreException;

    /** Everyone messages were exchanged with or who was seen online, by name. */
    List<StoredContact> contacts();

    /**
     * Why the store cannot write at the moment (disk full, read-only file), as a sentence for the
     * user; empty while writes succeed. Cleared by the next successful write.
     */
    Optional<String> fault();
}
