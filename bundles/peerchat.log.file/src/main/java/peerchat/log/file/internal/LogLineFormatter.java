package peerchat.log.file.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** {@code 2026-11-25 14:03:07.123 INFO  [peerchat.roster.server] message}, then the stack trace, if any. */
final class LogLineFormatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final ZoneId zone;

    LogLineFormatter(ZoneId zone) {
        this.zone = zone;
    }

    /** The text for one record, ending with a line separator. */
    String format(LogRecord record) {
        StringBuilder text = new StringBuilder(128)
                .append(TIME.format(Instant.ofEpochMilli(record.time()).atZone(zone)))
                .append(' ')
                .append(padded(record.level().name()))
                .append(" [")
                .append(record.source())
                .append("] ")
                .append(record.message())
                .append(System.lineSeparator());
        if (record.exception() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                record.exception().printStackTrace(out);
            }
            text.append(trace);
        }
        return text.toString();
    }

    /** Levels are at most five letters; pad so messages line up. */
    private static String padded(String level) {
        return level.length() >= 5 ? level : level + " ".repeat(5 - level.length());
    }
}
