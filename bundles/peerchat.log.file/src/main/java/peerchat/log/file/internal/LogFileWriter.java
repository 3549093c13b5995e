package peerchat.log.file.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends log records to one file on its own thread, so whoever logs never waits for the disk.
 * The history replayed at start is written first; live records the history already held (same
 * sequence number) are skipped. The file is flushed whenever the queue runs empty.
 */
final class LogFileWriter implements AutoCloseable {

    /** Records from outside the Log Service (our own notes) carry this sequence and are never skipped. */
    static final long NO_SEQUENCE = -1;

    private static final int QUEUE_LIMIT = 10_000;
    private static final LogRecord END = new LogRecord(NO_SEQUENCE, 0, LevelFilter.DEFAULT, "", "", "", null);

    private final BlockingQueue<LogRecord> queue = new LinkedBlockingQueue<>(QUEUE_LIMIT);
    private final AtomicLong dropped = new AtomicLong();
    private final Path file;
    private final Writer out;
    private final LogLineFormatter formatter;
    private final Thread thread;
    private volatile LevelFilter filter;
    private volatile IOException failure;
    private List<LogRecord> history = List.of();
    private long historyEnd = NO_SEQUENCE;

    private LogFileWriter(Path file, Writer out, LogLineFormatter formatter, LevelFilter filter) {
        this.file = file;
        this.out = out;
        this.formatter = formatter;
        this.filter = filter;
        this.thread = new Thread(this::run, "peerchat-log-file");
        this.thread.setDaemon(true);
    }

    /** Opens (creating directories and file as needed) for appending; records queue until {@link #start}. */
    static LogFileWriter open(Path file, LogLineFormatter formatter, LevelFilter filter) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new LogFileWriter(file, out, formatter, filter);
    }

    Path file() {
        return file;
    }

    void setFilter(LevelFilter filter) {
        this.filter = filter;
    }

    /**
     * Starts the writer thread; {@code history} (any order) is written before the queued live records.
     * The history is filtered here, with the level of this moment.
     */
    void start(List<LogRecord> history) {
        LevelFilter now = filter;
        List<LogRecord> sorted = new ArrayList<>(history);
        sorted.sort(Comparator.comparingLong(LogRecord::sequence));
        this.historyEnd = sorted.stream().mapToLong(LogRecord::sequence).max().orElse(NO_SEQUENCE);
        sorted.removeIf(record -> !now.accepts(record));
        this.history = sorted;
        thread.start();
    }

    /** Never blocks: when the queue is full the record is dropped and counted. */
    void offer(LogRecord record) {
        if (filter.accepts(record) && !queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    long dropped() {
        return dropped.get();
    }

    /** The first write error, after which nothing more is written; null while all is well. */
    IOException failure() {
        return failure;
    }

    /** Writes what is queued, then closes the file; waits at most {@code timeoutMillis} for the thread. */
    void close(long timeoutMillis) throws InterruptedException {
        if (thread.getState() == Thread.State.NEW) {
            closeFile();
            return;
        }
        if (!queue.offer(END)) {
            thread.interrupt();
        }
        thread.join(timeoutMillis);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(1));
        }
    }

    @Override
    public void close() throws InterruptedException {
        close(TimeUnit.SECONDS.toMillis(5));
    }

    private void run() {
        try {
            for (LogRecord record : history) {
                write(record);
            }
            flush();
            while (true) {
                LogRecord record = queue.take();
                if (record == END) {
                    break;
                }
                boolean seenInHistory = record.sequence() != NO_SEQUENCE && record.sequence() <= historyEnd;
                if (!seenInHistory) {
                    write(record);
                }
                if (queue.isEmpty()) {
                    flush();
                }
            }
        } catch (InterruptedException stopNow) {
            Thread.currentThread().interrupt();
        } finally {
            closeFile();
        }
    }

    private void write(LogRecord record) {
        if (failure != null) {
            return;
        }
        try {
            out.write(formatter.format(record));
        } catch (IOException e) {
            failure = e;
        }
    }

    private void flush() {
        if (failure != null) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            failure = e;
        }
    }

    private void closeFile() {
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }
}
