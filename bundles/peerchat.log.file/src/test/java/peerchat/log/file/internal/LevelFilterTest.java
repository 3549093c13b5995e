package peerchat.log.file.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.osgi.service.log.LogLevel;

public class LevelFilterTest {

    @Test
    public void infoAcceptsInfoAndMoreSevereButNotDebugOrTrace() {
        LevelFilter info = new LevelFilter(LogLevel.INFO);
        assertTrue(info.accepts(LogLevel.AUDIT));
        assertTrue(info.accepts(LogLevel.ERROR));
        assertTrue(info.accepts(LogLevel.WARN));
        assertTrue(info.accepts(LogLevel.INFO));
        assertFalse(info.accepts(LogLevel.DEBUG));
        assertFalse(info.accepts(LogLevel.TRACE));
    }

    @Test
    public void errorAcceptsOnlyErrorAndAudit() {
        LevelFilter error = new LevelFilter(LogLevel.ERROR);
        assertTrue(error.accepts(LogLevel.AUDIT));
        assertTrue(error.accepts(LogLevel.ERROR));
        assertFalse(error.accepts(LogLevel.WARN));
    }

    @Test
    public void traceAcceptsEverything() {
        LevelFilter trace = new LevelFilter(LogLevel.TRACE);
        for (LogLevel level : LogLevel.values()) {
            assertTrue(level.name(), trace.accepts(level));
        }
    }

    @Test
    public void serviceEventsCountAsDebug() {
        LevelFilter info = new LevelFilter(LogLevel.INFO);
        LevelFilter debug = new LevelFilter(LogLevel.DEBUG);
        LogRecord registered = record("Events.Service.peerchat.shell", LogLevel.INFO);
        assertFalse(info.accepts(registered));
        assertTrue(debug.accepts(registered));
        assertTrue(info.accepts(record("Events.Bundle.peerchat.shell", LogLevel.INFO)));
        assertTrue(info.accepts(record("Events.Service.peerchat.shell", LogLevel.WARN)));
        assertTrue(info.accepts(record("peerchat.roster.server.internal.Server", LogLevel.INFO)));
    }

    private static LogRecord record(String loggerName, LogLevel level) {
        return new LogRecord(1, 0, level, "bundle", loggerName, "message", null);
    }

    @Test
    public void parsesLevelNamesCaseInsensitively() {
        assertEquals(LogLevel.DEBUG, LevelFilter.parse("debug"));
        assertEquals(LogLevel.WARN, LevelFilter.parse(" Warn "));
        assertNull(LevelFilter.parse("verbose"));
        assertNull(LevelFilter.parse(""));
        assertNull(LevelFilter.parse(null));
    }
}
