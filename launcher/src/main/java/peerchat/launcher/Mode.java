package peerchat.launcher;

/** How the launcher talks to the user. */
enum Mode {
    /** Gogo shell on stdin/stdout; end of input stops the framework. */
    HEADLESS,
    /** No console at all; runs until SIGTERM. */
    DAEMON
}
