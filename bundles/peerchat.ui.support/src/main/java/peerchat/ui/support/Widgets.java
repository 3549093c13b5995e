package peerchat.ui.support;

import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Widget;

/**
 * Small SWT helpers shared by the views of {@code peerchat.ui.chat} and {@code peerchat.ui.admin}.
 * They live here once instead of in each view bundle; the package is not exported:
 * {@code -conditionalpackage} copies it privately into every bundle that uses it, so a view bundle
 * still exports and imports nothing of ours and can be updated alone.
 */
public final class Widgets {

    /** {@code Widget.getData(key)}: a stable name of our controls, for tests. */
    public static final String WIDGET_ID = "peerchat.widget";

    private Widgets() {
    }

    /** Sets the {@link #WIDGET_ID} of the widget. */
    public static <W extends Widget> W name(W widget, String id) {
        widget.setData(WIDGET_ID, id);
        return widget;
    }

    /** Names the control for screen readers. */
    public static <C extends Control> C accessible(C control, String id, String accessibleName) {
        name(control, id);
        control.getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent event) {
                event.result = accessibleName;
            }
        });
        return control;
    }

    /** A filled circle with a transparent background, 12 × 12, as plain data. */
    public static ImageData dotData(RGB rgb) {
        int size = 12;
        ImageData data = new ImageData(size, size, 24, new PaletteData(0xff0000, 0xff00, 0xff));
        data.alphaData = new byte[size * size];
        double centre = (size - 1) / 2.0;
        double radius = size / 2.0 - 1;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double distance = Math.hypot(x - centre, y - centre);
                double alpha = Math.max(0, Math.min(1, radius - distance + 0.5));
                data.setPixel(x, y, (rgb.red << 16) | (rgb.green << 8) | rgb.blue);
                data.alphaData[y * size + x] = (byte) Math.round(alpha * 255);
            }
        }
        return data;
    }

    /** The dot as an image; the caller disposes it. */
    public static Image dot(Display display, RGB rgb) {
        return new Image(display, dotData(rgb));
    }

    /** True for a widget that exists and is not disposed. */
    public static boolean alive(Widget widget) {
        return widget != null && !widget.isDisposed();
    }

}
