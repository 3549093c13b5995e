package peerchat.roster.protocol.log;

/**
 * Where the roster client and server engines report what happens. The component passes the OSGi Log Service through
 * {@link OsgiLog}; unit tests pass a recorder, so the engine runs without a framework.
 */
public interface Log {
    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message, Throwable cause);
}
