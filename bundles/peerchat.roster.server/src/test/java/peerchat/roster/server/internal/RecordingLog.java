package peerchat.roster.server.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import peerchat.roster.protocol.log.Log;

/** Keeps log lines ("LEVEL message") so tests can look at them; serves server and client engines. */
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

    boolean contains(String levelAndText) {
        return lines.stream().anyMatch(line -> line.startsWith(levelAndText.split(" ", 2)[0] + " ")
                && line.contains(levelAndText.split(" ", 2)[1]));
    }
}
