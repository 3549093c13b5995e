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
            // Whatever escapes the transport's threads is logged through the Log Service before it is
            // rethrown to retire the thread (see UdpTransportEngine#threadFailed): no second report.
            thread.setUncaughtExceptionHandler((t, e) -> {
            });
            return thread;
        };
    }
}
