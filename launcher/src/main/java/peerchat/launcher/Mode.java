package peerchat.launcher;

/** How the launcher talks to the user. */
enum Mode {
    /** The SWT workbench window (the default); the launcher's main thread runs its event loop. */
    UI,
    /** Gogo shell on stdin/stdout; end of input stops the framework. */
    HEADLESS,
    /** No console at all; runs until SIGTERM. */
    DAEMON
}
