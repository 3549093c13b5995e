package peerchat.log.file.internal;

import org.osgi.service.log.LogLevel;

/**
 * One log entry, copied out of the Log Service's {@code LogEntry} so formatting and writing can be
 * tested without a framework.
 *
 * @param sequence the Log Service's sequence number, used to skip entries seen twice at start
 * @param source the bundle symbolic name (or logger name when there is no bundle)
 * @param loggerName the Log Service logger name, e.g. a class name or {@code Events.Service.<bsn>}
 * @param exception may be null
 */
record LogRecord(long sequence, long time, LogLevel level, String source, String loggerName, String message,
        Throwable exception) {
}
