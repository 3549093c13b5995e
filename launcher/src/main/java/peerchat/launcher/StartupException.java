package peerchat.launcher;

/** The launcher cannot start (port in use, data directory locked, ...): exit status 1, one line on stderr. */
final class StartupException extends Exception {

    private static final long serialVersionUID = 1L;

    StartupException(String message) {
        super(message);
    }

    StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
