package peerchat.ui.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.junit.Test;

/** The parts that need no display. */
public class WidgetsTest {

    @Test
    public void dotIsOpaqueInTheMiddleAndTransparentInTheCorners() {
        ImageData dot = Widgets.dotData(new RGB(0x12, 0x34, 0x56));
        assertEquals(12, dot.width);
        assertEquals(12, dot.height);
        assertEquals(255, dot.getAlpha(6, 6));
        assertEquals(0, dot.getAlpha(0, 0));
        assertEquals(0, dot.getAlpha(11, 11));
        assertEquals(new RGB(0x12, 0x34, 0x56), dot.palette.getRGB(dot.getPixel(6, 6)));
    }

    @Test
    public void noWidgetIsNotAlive() {
        assertFalse(Widgets.alive(null));
    }
}
