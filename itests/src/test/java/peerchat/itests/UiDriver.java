package peerchat.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Widget;

/**
 * Drives the real SWT widgets of the workbench from the test thread: every widget access runs on the
 * UI thread ({@code syncExec}); controls are found by their {@code peerchat.widget} data; keys are real
 * X events ({@code Display.post}, XTest under Xvfb).
 */
final class UiDriver {

    static final String WIDGET_ID = "peerchat.widget";

    private final Display display;
    private final Path screenshots;

    UiDriver(Display display, Path screenshots) {
        this.display = display;
        this.screenshots = screenshots;
    }

    <T> T onUi(Callable<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        display.syncExec(() -> {
            try {
                result.set(work.call());
            } catch (Exception | AssertionError e) {
                failure.set(e);
            }
        });
        if (failure.get() instanceof AssertionError error) {
            throw error;
        }
        if (failure.get() != null) {
            throw new AssertionError("on the UI thread: " + failure.get(), failure.get());
        }
        return result.get();
    }

    void onUi(Runnable work) {
        onUi(() -> {
            work.run();
            return null;
        });
    }

    /** UI thread: the first widget under any open shell whose id matches, or null. */
    Widget find(String id) {
        for (Shell shell : display.getShells()) {
            Widget found = find(shell, id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Widget find(Control control, String id) {
        if (id.equals(control.getData(WIDGET_ID))) {
            return control;
        }
        if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                Widget found = find(child, id);
                if (found != null) {
                    return found;
                }
            }
            if (control instanceof org.eclipse.swt.custom.CTabFolder folder) {
                for (var item : folder.getItems()) {
                    if (id.equals(item.getData(WIDGET_ID))) {
                        return item;
                    }
                }
            }
            if (control instanceof org.eclipse.swt.widgets.ToolBar bar) {
                for (var item : bar.getItems()) {
                    if (id.equals(item.getData(WIDGET_ID))) {
                        return item;
                    }
                }
            }
        }
        return null;
    }

    /** Polls (on the UI thread) until the check holds; fails with the last value after the timeout. */
    <T> T waitFor(String what, Callable<T> probe, Predicate<T> check, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        T value = onUi(probe);
        while (!check.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutSeconds + " s: " + what + "; last seen: " + value);
            }
            Thread.sleep(100);
            value = onUi(probe);
        }
        return value;
    }

    /** A real key press and release of one key with an optional modifier, as the X server sends it. */
    void pressKey(int keyCode, char character, int modifierKeyCode) {
        if (modifierKeyCode != 0) {
            post(SWT.KeyDown, modifierKeyCode, '\0');
        }
        post(SWT.KeyDown, keyCode, character);
        post(SWT.KeyUp, keyCode, character);
        if (modifierKeyCode != 0) {
            post(SWT.KeyUp, modifierKeyCode, '\0');
        }
        flush();
    }

    /** Types plain ASCII text as real key events. */
    void type(String text) {
        for (char c : text.toCharArray()) {
            boolean upper = Character.isUpperCase(c);
            int code = upper ? Character.toLowerCase(c) : c;
            if (upper) {
                post(SWT.KeyDown, SWT.SHIFT, '\0');
            }
            post(SWT.KeyDown, code, c);
            post(SWT.KeyUp, code, c);
            if (upper) {
                post(SWT.KeyUp, SWT.SHIFT, '\0');
            }
        }
        flush();
    }

    private void post(int type, int keyCode, char character) {
        onUi(() -> {
            Event event = new Event();
            event.type = type;
            event.keyCode = keyCode;
            event.character = character;
            if (!display.post(event)) {
                throw new AssertionError("the X server refused a synthetic key event (no XTest?)");
            }
        });
    }

    /** Lets the UI thread (whose own loop dispatches the posted events) catch up. */
    void flush() {
        for (int i = 0; i < 3; i++) {
            onUi(() -> display.update());
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Saves the workbench window's area of the screen as PNG under target/screenshots. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(screenshots);
        Path file = screenshots.resolve(name + ".png");
        flush();
        onUi(() -> {
            Shell shell = display.getShells()[0];
            for (Shell candidate : display.getShells()) {
                if ("workbench.shell".equals(candidate.getData(WIDGET_ID))) {
                    shell = candidate;
                }
            }
            Rectangle bounds = shell.getBounds();
            Image image = new Image(display, bounds.width, bounds.height);
            GC gc = new GC(display);
            try {
                gc.copyArea(image, bounds.x, bounds.y);
                ImageLoader loader = new ImageLoader();
                loader.data = new org.eclipse.swt.graphics.ImageData[] { image.getImageData() };
                loader.save(file.toString(), SWT.IMAGE_PNG);
            } finally {
                gc.dispose();
                image.dispose();
            }
        });
        return file;
    }

    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
