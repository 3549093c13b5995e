package peerchat.ui.workbench.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.Test;

import peerchat.ui.api.ViewArea;

public class LayoutTest {

    @Test
    public void aLayoutSurvivesTheRoundTripThroughProperties() {
        Layout layout = new Layout(10, 20, 1100, 700, false, new int[] { 30, 70 }, new int[] { 60, 40 },
                Map.of("LEFT", "peerchat.roster", "BOTTOM", "peerchat.server"), Set.of("peerchat.plugins", "peerchat.prefs"),
                Map.of("peerchat.server", ViewArea.LEFT));
        assertEquals(layout, Layout.of(layout.toProperties()));
        assertTrue(layout.hasBounds());
    }

    @Test
    public void aFileFromBeforeClosingAndMovingMeansEveryViewOpenInItsOwnArea() throws IOException {
        Properties old = new Properties();
        old.load(new StringReader("""
                bounds=10,20,1100,700
                maximized=false
                columns=30,70
                rows=60,40
                selected.BOTTOM=peerchat.server
                """));
        Layout layout = Layout.of(old);
        assertEquals(Set.of(), layout.closed());
        assertEquals(Map.of(), layout.moved());
        assertEquals(new Layout(10, 20, 1100, 700, false, new int[] { 30, 70 }, new int[] { 60, 40 },
                Map.of("BOTTOM", "peerchat.server"), Set.of(), Map.of()), layout);
    }

    @Test
    public void aDamagedFileGivesTheDefaults() {
        Properties damaged = new Properties();
        damaged.setProperty("bounds", "1,2,x");
        damaged.setProperty("columns", "a,b");
        damaged.setProperty("closed.peerchat.server", "yes");
        damaged.setProperty("area.peerchat.roster", "TOP");
        Layout layout = Layout.of(damaged);
        assertFalse(layout.hasBounds());
        assertEquals(0, layout.columns().length);
        assertEquals(Set.of(), layout.closed());
        assertEquals(Map.of(), layout.moved());
        assertEquals(Layout.NONE, Layout.of(new Properties()));
    }
}
