package peerchat.chat.core.internal;

/** Where the plain classes report problems they survive; the component forwards to the OSGi log. */
@FunctionalInterface
interface ProblemLog {

    /** @param cause may be null */
    void warn(String message, Throwable cause);
}
