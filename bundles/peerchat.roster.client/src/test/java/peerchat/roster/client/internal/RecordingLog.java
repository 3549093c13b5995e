package peerchat.roster.client.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import peerchat.roster.protocol.log.Log;

/** Keeps log lines ("LEVEL message") so tests can look at them. */
final class RecordingLog implements Log {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void debug(String message) {
        lines.add("DEBUG " + message);
    }

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public void error(String message, Throwable cause) {
        lines.add("ERROR " + message);
    }

    boolean has(String prefix) {
        return lines.stream().anyMatch(line -> line.startsWith(prefix));
    }
}
