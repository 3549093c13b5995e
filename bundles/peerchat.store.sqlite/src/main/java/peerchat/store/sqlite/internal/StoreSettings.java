package peerchat.store.sqlite.internal;

import java.nio.file.Path;
import java.time.Clock;

/**
 * How to open a store: the file and, for tests, the seams.
 *
 * @param file      the database file (created with its folder when missing)
 * @param maxBatch  most requests the writer puts into one transaction
 * @param schema    the migrations to apply
 * @param clock     gives {@code stored} times (contacts' last message)
 * @param hook      called before each commit
 * @param log       where the engine logs
 * @param readOnly  open the write connection read-only (a test's way to a read-only database as root)
 * @param indexing  run the search indexer (tests that count commits or warnings turn it off; search
 *                  then scans every row, with the same results)
 */
record StoreSettings(Path file, int maxBatch, Schema schema, Clock clock, WriteHook hook, StoreLog log,
        boolean readOnly, boolean indexing) {

    static final int DEFAULT_MAX_BATCH = 512;

    static StoreSettings of(Path file) {
        return new StoreSettings(file, DEFAULT_MAX_BATCH, Schema.current(), Clock.systemUTC(), WriteHook.NONE,
                StoreLog.NONE, false, true);
    }

    StoreSettings withMaxBatch(int value) {
        return new StoreSettings(file, value, schema, clock, hook, log, readOnly, indexing);
    }

    StoreSettings withSchema(Schema value) {
        return new StoreSettings(file, maxBatch, value, clock, hook, log, readOnly, indexing);
    }

    StoreSettings withClock(Clock value) {
        return new StoreSettings(file, maxBatch, schema, value, hook, log, readOnly, indexing);
    }

    StoreSettings withHook(WriteHook value) {
        return new StoreSettings(file, maxBatch, schema, clock, value, log, readOnly, indexing);
    }

    StoreSettings withLog(StoreLog value) {
        return new StoreSettings(file, maxBatch, schema, clock, hook, value, readOnly, indexing);
    }

    StoreSettings withIndexing(boolean value) {
        return new StoreSettings(file, maxBatch, schema, clock, hook, log, readOnly, value);
    }

    StoreSettings withReadOnly(boolean value) {
        return new StoreSettings(file, maxBatch, schema, clock, hook, log, value, indexing);
    }
}
