package peerchat.ui.workbench.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.Properties;

import org.junit.Test;

public class LayoutTest {

    @Test
    public void aLayoutSurvivesTheRoundTripThroughProperties() {
        Layout layout = new Layout(10, 20, 1100, 700, false, new int[] { 30, 70 }, new int[] { 60, 40 },
                Map.of("LEFT", "peerchat.roster", "BOTTOM", "peerchat.server"));
        assertEquals(layout, Layout.of(layout.toProperties()));
        assertTrue(layout.hasBounds());
    }

    @Test
    public void aDamagedFileGivesTheDefaults() {
        Properties damaged = new Properties();
        damaged.setProperty("bounds", "1,2,x");
        damaged.setProperty("columns", "a,b");
        Layout layout = Layout.of(damaged);
        assertFalse(layout.hasBounds());
        assertEquals(0, layout.columns().length);
        assertEquals(Layout.NONE, Layout.of(new Properties()));
    }
}
