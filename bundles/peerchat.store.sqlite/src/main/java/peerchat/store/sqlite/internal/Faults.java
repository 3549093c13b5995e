package peerchat.store.sqlite.internal;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Turns SQLite's result codes into a sentence for the user, and says which errors are faults of the
 * database as a whole (the batch is lost, later writes may succeed again) rather than of one request.
 */
final class Faults {

    // SQLite primary result codes (https://sqlite.org/rescode.html); sqlite-jdbc reports the primary
    // code as SQLException#getErrorCode, extended codes keep it in their low byte
    static final int SQLITE_PERM = 3;
    static final int SQLITE_BUSY = 5;
    static final int SQLITE_LOCKED = 6;
    static final int SQLITE_NOMEM = 7;
    static final int SQLITE_READONLY = 8;
    static final int SQLITE_IOERR = 10;
    static final int SQLITE_CORRUPT = 11;
    static final int SQLITE_FULL = 13;
    static final int SQLITE_CANTOPEN = 14;
    static final int SQLITE_NOTADB = 26;

    private Faults() {
    }

    static int primaryCode(SQLException e) {
        return e.getErrorCode() & 0xff;
    }

    /** True for errors of the database file or the disk, not of the statement that met them. */
    static boolean isFault(SQLException e) {
        return switch (primaryCode(e)) {
            case SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY, SQLITE_IOERR,
                    SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB -> true;
            default -> false;
        };
    }

    /** True when the writer should open its connection again before the next batch. */
    static boolean needsReopen(SQLException e) {
        return switch (primaryCode(e)) {
            case SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM, SQLITE_CORRUPT, SQLITE_NOTADB -> true;
            default -> false;
        };
    }

    /** A sentence for the user: what is wrong with which file. */
    static String reason(SQLException e, Path file) {
        return switch (primaryCode(e)) {
            case SQLITE_FULL -> "disk full: cannot write " + file;
            case SQLITE_READONLY -> "database file is read-only: " + file;
            case SQLITE_CANTOPEN -> "cannot open the database file (is its folder read-only?): " + file;
            case SQLITE_PERM -> "no permission to write the database file: " + file;
            case SQLITE_IOERR -> "I/O error writing the database file: " + file + " (" + detail(e) + ")";
            case SQLITE_CORRUPT, SQLITE_NOTADB -> "database file is damaged: " + file;
            case SQLITE_BUSY, SQLITE_LOCKED -> "database file is locked by another program: " + file;
            case SQLITE_NOMEM -> "out of memory writing the database file: " + file;
            default -> "cannot write the database file: " + file + " (" + detail(e) + ")";
        };
    }

    private static String detail(SQLException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
