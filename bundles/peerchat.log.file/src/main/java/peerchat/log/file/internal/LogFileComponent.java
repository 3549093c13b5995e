package peerchat.log.file.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Writes every Log Service entry at or above the configured level to {@code <data>/log/peerchat.log},
 * where {@code <data>} is the framework property {@code peerchat.data} (else this bundle's data area).
 * It also lowers the root logger level to the configured one, because an R7 Log Service passes only
 * WARN and above unless told otherwise, and bundles' {@code logger.info(...)} would never arrive.
 */
@Component(configurationPid = LogFileComponent.PID)
@Designate(ocd = LogFileConfig.class)
public final class LogFileComponent {

    static final String PID = "peerchat.log.file";
    static final String DATA_PROPERTY = "peerchat.data";

    @Reference
    private LogReaderService reader;

    /** Optional: another Log Service implementation may not offer it. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
    private LoggerAdmin loggerAdmin;

    private LogFileWriter writer;
    private LogListener listener;
    private static final long QUIET_MILLIS = 50;
    private static final long GRACE_MILLIS = 500;
    /** Highest sequence number handed to the writer by the listener. */
    private final AtomicLong lastDelivered = new AtomicLong(LogFileWriter.NO_SEQUENCE);
    /** The root level this component set, so it only ever undoes its own setting. */
    private LogLevel rootLevelSet;

    @Activate
    void activate(BundleContext context, LogFileConfig config) throws IOException {
        LevelFilter filter = filterOf(config);
        writer = LogFileWriter.open(logFile(context), new LogLineFormatter(ZoneId.systemDefault()), filter);
        LogFileWriter target = writer;
        listener = entry -> {
            lastDelivered.accumulateAndGet(entry.getSequence(), Math::max);
            target.offer(recordOf(entry));
        };
        // listen first, then read the history: an entry in both is written once (by sequence number)
        reader.addLogListener(listener);
        writer.start(history());
        applyRootLevel(filter.threshold());
        noteUnknownLevel(config);
    }

    @Modified
    void modified(LogFileConfig config) {
        LevelFilter filter = filterOf(config);
        writer.setFilter(filter);
        applyRootLevel(filter.threshold());
        noteUnknownLevel(config);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        awaitQuiet();
        reader.removeLogListener(listener);
        // the log service delivers asynchronously: at shutdown the last entries (bundles stopping)
        // may be stored but not yet delivered to our listener, so take them from the log itself
        long delivered = lastDelivered.get();
        history().stream().filter(record -> record.sequence() > delivered).forEach(writer::offer);
        restoreRootLevel();
        writer.close();
    }

    /**
     * The framework reports bundle events to the log service asynchronously, so at shutdown the
     * events of the bundles that stopped just before this one may still be on their way: keep
     * listening until nothing new came for {@link #QUIET_MILLIS} (at most {@link #GRACE_MILLIS}).
     */
    private void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        long seen = lastDelivered.get();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline
                && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS)) {
            Thread.sleep(5);
            long now = lastDelivered.get();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            }
        }
    }

    static Path logFile(BundleContext context) {
        String data = context.getProperty(DATA_PROPERTY);
        if (data != null && !data.isBlank()) {
            return Path.of(data, "log", "peerchat.log");
        }
        File area = context.getDataFile("");
        if (area == null) {
            throw new IllegalStateException("no place for the log file: framework property " + DATA_PROPERTY
                    + " is unset and the framework has no bundle data area");
        }
        return area.toPath().resolve("log").resolve("peerchat.log");
    }

    private static LevelFilter filterOf(LogFileConfig config) {
        LogLevel level = LevelFilter.parse(config.level());
        return new LevelFilter(level == null ? LevelFilter.DEFAULT : level);
    }

    private void noteUnknownLevel(LogFileConfig config) {
        if (LevelFilter.parse(config.level()) == null) {
            writer.offer(new LogRecord(LogFileWriter.NO_SEQUENCE, System.currentTimeMillis(), LogLevel.WARN, PID, PID,
                    "unknown level '" + config.level() + "' in configuration " + PID + ", writing "
                            + LevelFilter.DEFAULT + " and above", null));
        }
    }

    /** The log service's stored entries, oldest first. */
    private List<LogRecord> history() {
        List<LogRecord> records = new ArrayList<>();
        for (Enumeration<LogEntry> entries = reader.getLog(); entries.hasMoreElements();) {
            records.add(recordOf(entries.nextElement()));
        }
        records.sort(Comparator.comparingLong(LogRecord::sequence));
        return records;
    }

    private static LogRecord recordOf(LogEntry entry) {
        Bundle bundle = entry.getBundle();
        String source = bundle != null && bundle.getSymbolicName() != null ? bundle.getSymbolicName() : entry.getLoggerName();
        String message = entry.getMessage() == null ? "" : entry.getMessage();
        return new LogRecord(entry.getSequence(), entry.getTime(), entry.getLogLevel(), source, entry.getLoggerName(),
                message, entry.getException());
    }

    /** Sets the root logger level unless someone else (e.g. ConfigAdmin PID org.osgi.service.log.admin) did. */
    private void applyRootLevel(LogLevel wanted) {
        LoggerAdmin admin = loggerAdmin;
        if (admin == null) {
            return;
        }
        LoggerContext root = admin.getLoggerContext(null);
        Map<String, LogLevel> levels = new HashMap<>(root.getLogLevels());
        LogLevel current = levels.get(Logger.ROOT_LOGGER_NAME);
        if (current == null || current == rootLevelSet) {
            levels.put(Logger.ROOT_LOGGER_NAME, wanted);
            root.setLogLevels(levels);
            rootLevelSet = wanted;
        }
    }

    private void restoreRootLevel() {
        LoggerAdmin admin = loggerAdmin;
        if (admin == null || rootLevelSet == null) {
            return;
        }
        LoggerContext root = admin.getLoggerContext(null);
        Map<String, LogLevel> levels = new HashMap<>(root.getLogLevels());
        if (levels.get(Logger.ROOT_LOGGER_NAME) == rootLevelSet) {
            levels.remove(Logger.ROOT_LOGGER_NAME);
            root.setLogLevels(levels);
        }
        rootLevelSet = null;
    }
}
