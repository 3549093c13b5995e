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
 */
record StoreSettings(Path file, int maxBatch, Schema schema, Clock clock, WriteHook hook, StoreLog log,
        boolean readOnly) {

    static final int DEFAULT_MAX_BATCH = 512;

    static StoreSettings of(Path file) {
        return new StoreSettings(file, DEFAULT_MAX_BATCH, Schema.current(), Clock.systemUTC(), WriteHook.NONE,
                StoreLog.NONE, false);
    }

    StoreSettings withMaxBatch(int value) {
        return new StoreSettings(file, value, schema, clock, hook, log, readOnly);
    }

    StoreSettings withSchema(Schema value) {
        return new StoreSettings(file, maxBatch, value, clock, hook, log, readOnly);
    }

    StoreSettings withClock(Clock value) {
        return new StoreSettings(file, maxBatch, schema, value, hook, log, readOnly);
    }

    StoreSettings withHook(WriteHook value) {
        return new StoreSettings(file, maxBatch, schema, clock, value, log, readOnly);
    }

    StoreSettings withLog(StoreLog value) {
        return new StoreSettings(file, maxBatch, schema, clock, hook, value, readOnly);
    }

    StoreSettings withReadOnly(boolean value) {
        return new StoreSettings(file, maxBatch, schema, clock, hook, log, value);
    }
}
