package peerchat.log.file.internal;

import java.util.Locale;

import org.osgi.service.log.LogLevel;

/**
 * Accepts entries at or above a threshold; AUDIT is always accepted, as the Log Service specifies.
 * The Log Service reports every service registration at INFO (logger {@code Events.Service.<bsn>});
 * the file treats those as DEBUG, so that INFO shows what the application does, not its wiring.
 */
final class LevelFilter {

    static final LogLevel DEFAULT = LogLevel.INFO;
    static final String SERVICE_EVENTS = "Events.Service";

    private final LogLevel threshold;

    LevelFilter(LogLevel threshold) {
        this.threshold = threshold;
    }

    LogLevel threshold() {
        return threshold;
    }

    /** {@code INFO} accepts AUDIT, ERROR, WARN and INFO; {@code LogLevel.implies} orders them so. */
    boolean accepts(LogLevel level) {
        return threshold.implies(level);
    }

    boolean accepts(LogRecord record) {
        boolean serviceEvent = record.loggerName() != null && record.loggerName().startsWith(SERVICE_EVENTS)
                && record.level() == LogLevel.INFO;
        return accepts(serviceEvent ? LogLevel.DEBUG : record.level());
    }

    /** Parses a configured level name, case-insensitively; null when it is not a level. */
    static LogLevel parse(String name) {
        if (name == null) {
            return null;
        }
        try {
            return LogLevel.valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException notALevel) {
            return null;
        }
    }
}
