package peerchat.log.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.Test;
import org.osgi.service.log.LogLevel;

public class LogLineFormatterTest {

    private static final String NL = System.lineSeparator();
    private final LogLineFormatter formatter = new LogLineFormatter(ZoneId.of("UTC"));
    private final long time = LocalDateTime.of(2026, 11, 25, 14, 3, 7, 123_000_000).toInstant(ZoneOffset.UTC).toEpochMilli();

    @Test
    public void infoLineHasTimeLevelPaddedToFiveSourceAndMessage() {
        String line = formatter.format(new LogRecord(1, time, LogLevel.INFO, "peerchat.roster.server",
                "peerchat.roster.server.internal.Server", "alice logged in from 127.0.0.1", null));
        assertEquals("2026-11-25 14:03:07.123 INFO  [peerchat.roster.server] alice logged in from 127.0.0.1" + NL, line);
    }

    @Test
    public void fiveLetterLevelsAreNotPadded() {
        String line = formatter.format(new LogRecord(1, time, LogLevel.ERROR, "x", "logger", "boom", null));
        assertEquals("2026-11-25 14:03:07.123 ERROR [x] boom" + NL, line);
    }

    @Test
    public void timeIsShownInTheGivenZone() {
        String line = new LogLineFormatter(ZoneId.of("Europe/Berlin"))
                .format(new LogRecord(1, time, LogLevel.WARN, "x", "logger", "m", null));
        assertTrue(line, line.startsWith("2026-11-25 15:03:07.123 WARN  [x] m"));
    }

    @Test
    public void exceptionFollowsAsStackTraceLines() {
        IllegalStateException failure = new IllegalStateException("socket closed");
        String text = formatter.format(new LogRecord(1, time, LogLevel.ERROR, "peerchat.transport.udp", "logger", "send failed", failure));
        String[] lines = text.split(NL);
        assertEquals("2026-11-25 14:03:07.123 ERROR [peerchat.transport.udp] send failed", lines[0]);
        assertEquals("java.lang.IllegalStateException: socket closed", lines[1]);
        assertTrue(lines[2], lines[2].startsWith("\tat peerchat.log.file.internal.LogLineFormatterTest."));
        assertTrue(text.endsWith(NL));
    }
}
