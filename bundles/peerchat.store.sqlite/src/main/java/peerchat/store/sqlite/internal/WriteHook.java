package peerchat.store.sqlite.internal;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A seam in the writer thread for tests: called inside each batch's transaction after the batch's
 * statements ran and before COMMIT. Throwing an {@link SQLException} (e.g. with SQLite's error code
 * 13, SQLITE_FULL) makes the batch fail exactly as a real fault at commit would: rolled back, every
 * caller gets a StoreException. Blocking here holds the writer so callers pile up into one batch.
 */
interface WriteHook {

    void beforeCommit(Connection connection, int requests) throws SQLException;

    WriteHook NONE = (connection, requests) -> {
    };
}
