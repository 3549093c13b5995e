package peerchat.launcher;

/** A command line the launcher cannot accept: exit status 2, one line on stderr. */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
