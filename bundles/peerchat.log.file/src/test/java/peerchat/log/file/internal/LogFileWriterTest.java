package peerchat.log.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.service.log.LogLevel;

public class LogFileWriterTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final LogLineFormatter formatter = new LogLineFormatter(ZoneId.of("UTC"));

    @Test
    public void historyComesFirstInSequenceOrderAndLiveDuplicatesAreSkipped() throws Exception {
        Path file = folder.getRoot().toPath().resolve("log/peerchat.log");
        LogFileWriter writer = LogFileWriter.open(file, formatter, new LevelFilter(LogLevel.INFO));
        // the listener was added before the history was read: entry 2 arrives both ways
        writer.offer(record(2, LogLevel.INFO, "second"));
        writer.offer(record(3, LogLevel.INFO, "third"));
        writer.start(List.of(record(2, LogLevel.INFO, "second"), record(1, LogLevel.INFO, "first")));
        writer.close();

        assertEquals(List.of("first", "second", "third"), messages(file));
        assertNull(writer.failure());
    }

    @Test
    public void entriesBelowTheLevelAreNotWritten() throws Exception {
        Path file = folder.getRoot().toPath().resolve("peerchat.log");
        LogFileWriter writer = LogFileWriter.open(file, formatter, new LevelFilter(LogLevel.WARN));
        writer.start(List.of(record(1, LogLevel.INFO, "old info"), record(2, LogLevel.ERROR, "old error")));
        writer.offer(record(3, LogLevel.DEBUG, "debug"));
        writer.offer(record(4, LogLevel.WARN, "warn"));
        writer.setFilter(new LevelFilter(LogLevel.DEBUG));
        writer.offer(record(5, LogLevel.DEBUG, "debug after reconfiguration"));
        writer.close();

        assertEquals(List.of("old error", "warn", "debug after reconfiguration"), messages(file));
    }

    @Test
    public void liveEntriesAreOnDiskPromptlyWithoutClosing() throws Exception {
        Path file = folder.getRoot().toPath().resolve("peerchat.log");
        LogFileWriter writer = LogFileWriter.open(file, formatter, new LevelFilter(LogLevel.INFO));
        try {
            writer.start(List.of());
            writer.offer(record(7, LogLevel.INFO, "bob logged in"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.readString(file).contains("bob logged in") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue("flushed within 5 s", Files.readString(file).contains("bob logged in"));
        } finally {
            writer.close();
        }
    }

    @Test
    public void appendsToAnExistingFile() throws Exception {
        Path file = folder.getRoot().toPath().resolve("peerchat.log");
        Files.writeString(file, "earlier line" + System.lineSeparator());
        LogFileWriter writer = LogFileWriter.open(file, formatter, new LevelFilter(LogLevel.INFO));
        writer.start(List.of());
        writer.offer(record(1, LogLevel.INFO, "new"));
        writer.close();

        List<String> lines = Files.readAllLines(file);
        assertEquals("earlier line", lines.get(0));
        assertTrue(lines.get(1), lines.get(1).endsWith("[test] new"));
    }

    @Test
    public void notesWithoutSequenceAreNeverTakenForDuplicates() throws Exception {
        Path file = folder.getRoot().toPath().resolve("peerchat.log");
        LogFileWriter writer = LogFileWriter.open(file, formatter, new LevelFilter(LogLevel.INFO));
        writer.start(List.of(record(5, LogLevel.INFO, "history")));
        writer.offer(record(LogFileWriter.NO_SEQUENCE, LogLevel.WARN, "note"));
        writer.close();

        assertEquals(List.of("history", "note"), messages(file));
    }

    @Test
    public void aWriterThatNeverStartedStillClosesItsFile() throws Exception {
        Path file = folder.getRoot().toPath().resolve("peerchat.log");
        LogFileWriter writer = LogFileWriter.open(file, formatter, new LevelFilter(LogLevel.INFO));
        writer.close();
        assertTrue(Files.isRegularFile(file));
        assertNull(writer.failure());
    }

    private static LogRecord record(long sequence, LogLevel level, String message) {
        return new LogRecord(sequence, 0, level, "test", "logger", message, null);
    }

    /** The message part of each line: after "[test] ". */
    private static List<String> messages(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(line -> line.substring(line.indexOf("] ") + 2)).toList();
    }
}
