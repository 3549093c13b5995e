package peerchat.api.store;

/** The store cannot do what was asked now (disk full, read-only, closed); nothing of the call took effect. */
public class StoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
