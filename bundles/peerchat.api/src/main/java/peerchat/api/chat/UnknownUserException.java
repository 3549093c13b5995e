package peerchat.api.chat;

/** Nobody of that name is in the roster. */
public class UnknownUserException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnknownUserException(String name) {
        super("unknown user: " + name);
    }
}
