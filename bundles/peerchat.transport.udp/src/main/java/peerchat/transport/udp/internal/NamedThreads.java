package peerchat.transport.udp.internal;

import java.util.concurrent.ThreadFactory;

/** Daemon threads with names that say what they do, so thread dumps are readable. */
final class NamedThreads {

    private NamedThreads() {
    }

    static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
