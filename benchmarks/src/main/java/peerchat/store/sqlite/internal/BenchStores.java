package peerchat.store.sqlite.internal;

import java.nio.file.Path;

import peerchat.api.store.MessageStore;
import peerchat.api.store.StoreException;

/** The real SQLite store for benchmarks outside this package. */
public final class BenchStores {

    private BenchStores() {
    }

    public static MessageStore open(Path file) throws StoreException {
        return SqliteMessageStore.open(StoreSettings.of(file));
    }

    /** Synced commits so far. */
    public static long commits(MessageStore store) {
        return ((SqliteMessageStore) store).commits();
    }

    public static void close(MessageStore store) {
        ((SqliteMessageStore) store).close();
    }
}
