package peerchat.ui.admin.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgi.service.metatype.AttributeDefinition;

/** The parts of the admin views that need neither a display nor a framework. */
public class AdminUnitTest {

    /** A metatype attribute as the metatype service would describe it. */
    private static AttributeDefinition attribute(String id, int type, int cardinality, String defaultValue,
            String invalidUnless) {
        return new AttributeDefinition() {
            public String getName() {
                return "Field " + id;
            }

            public String getID() {
                return id;
            }

            public String getDescription() {
                return "";
            }

            public int getCardinality() {
                return cardinality;
            }

            public int getType() {
                return type;
            }

            public String[] getOptionValues() {
                return null;
            }

            public String[] getOptionLabels() {
                return null;
            }

            public String validate(String value) {
                return invalidUnless == null || value.matches(invalidUnless) ? "" : "out of range";
            }

            public String[] getDefaultValue() {
                return defaultValue == null ? null : new String[] { defaultValue };
            }
        };
    }

    @Test
    public void settingsShowTheStoredValueOrTheDefault() {
        AttributeDefinition port = attribute("port", AttributeDefinition.INTEGER, 0, "5555", null);
        assertEquals("5555", Settings.text(port, null));
        Hashtable<String, Object> stored = new Hashtable<>(Map.of("port", 7000, "hosts", new String[] { "a", "b" }));
        assertEquals("7000", Settings.text(port, stored));
        assertEquals("a, b", Settings.text(attribute("hosts", AttributeDefinition.STRING, 10, null, null), stored));
    }

    @Test
    public void settingsBecomeTypedValuesAfterValidation() {
        assertEquals(7000, Settings.value(attribute("port", AttributeDefinition.INTEGER, 0, null, "\\d+"), " 7000 "));
        assertEquals(Boolean.TRUE, Settings.value(attribute("on", AttributeDefinition.BOOLEAN, 0, null, null), "true"));
        assertEquals(250L, Settings.value(attribute("ms", AttributeDefinition.LONG, 0, null, null), "250"));
        assertArrayEquals(new Integer[] { 1, 2 },
                (Integer[]) Settings.value(attribute("list", AttributeDefinition.INTEGER, 5, null, null), "1, 2,"));
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> Settings.value(attribute("port", AttributeDefinition.INTEGER, 0, null, "\\d+"), "-1"));
        assertEquals("Field port: out of range", invalid.getMessage());
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> Settings.value(attribute("port", AttributeDefinition.INTEGER, 0, null, null), "many"));
        assertEquals("Field port: 'many' is not a number", notANumber.getMessage());
    }

    @Test
    public void theClientLogTellsLoginsLogoutsStartsAndStops() {
        ClientLog log = new ClientLog(ZoneOffset.UTC);
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        assertFalse("a stopped server at first sight says nothing", log.update(t, false, "null", List.of()));
        assertTrue(log.update(t, true, "0.0.0.0:5555", List.of("alice")));
        assertFalse(log.update(t.plusSeconds(1), true, "0.0.0.0:5555", List.of("Alice")));
        assertTrue(log.update(t.plusSeconds(2), true, "0.0.0.0:5555", List.of("bob")));
        assertTrue(log.update(t.plusSeconds(3), false, "null", List.of()));
        assertEquals(List.of("10:00:00  server started on 0.0.0.0:5555", "10:00:00  alice logged in",
                "10:00:02  bob logged in", "10:00:02  Alice logged out", "10:00:03  server stopped",
                "10:00:03  bob logged out"), log.lines());
    }

    @Test
    public void theClientLogKeepsTheLastLinesOnly() {
        ClientLog log = new ClientLog(ZoneOffset.UTC);
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        for (int i = 0; i < ClientLog.LIMIT + 10; i++) {
            assertTrue(log.update(t, true, "x", List.of("user" + i)));
        }
        assertEquals(ClientLog.LIMIT, log.lines().size());
    }

    @Test
    public void uptimeAndRejectsRead() {
        assertEquals("42 s", ServerView.uptime(Duration.ofSeconds(42)));
        assertEquals("2 min 5 s", ServerView.uptime(Duration.ofSeconds(125)));
        assertEquals("1 h 1 min", ServerView.uptime(Duration.ofSeconds(3660)));
        assertEquals("", ServerView.rejects(Map.of()));
        assertEquals(" · rejected: name_taken 2", ServerView.rejects(Map.of("name_taken", 2L)));
    }
}
