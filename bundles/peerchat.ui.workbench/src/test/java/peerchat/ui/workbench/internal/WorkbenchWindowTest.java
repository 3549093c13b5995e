package peerchat.ui.workbench.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Shell;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Assert;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;
import peerchat.ui.support.Widgets;

/**
 * The real window on the display the build runs under (CI: Xvfb); skipped, with the reason printed,
 * where there is none. Clicks are given to the widgets as their SWT events.
 */
public class WorkbenchWindowTest {

    /** One display for all tests: GTK takes a second one in the same process with a critical warning. */
    private static Display display;
    private final List<String> problems = new ArrayList<>();

    @BeforeClass
    public static void openDisplay() {
        boolean hasDisplay = System.getenv("DISPLAY") != null && !System.getenv("DISPLAY").isBlank();
        if (!hasDisplay && Boolean.getBoolean("peerchat.ui.required")) {
            Assert.fail("no DISPLAY, but peerchat.ui.required=true (run under xvfb-run)");
        }
        if (!hasDisplay) {
            System.out.println("SKIPPED WorkbenchWindowTest: no DISPLAY (run under xvfb-run)");
        }
        Assume.assumeTrue("no DISPLAY", hasDisplay);
        display = new Display();
    }

    @After
    public void closeWindows() {
        for (Shell shell : display.getShells()) {
            shell.dispose();
        }
    }

    @AfterClass
    public static void closeDisplay() {
        if (display != null) {
            display.dispose();
        }
    }

    @Test
    public void theRememberedTabIsShownAgainAndSurvivesItsViewsGoingAway() {
        TestView server = new TestView("peerchat.server", ViewArea.BOTTOM);
        TestView plugins = new TestView("peerchat.plugins", ViewArea.BOTTOM);
        WorkbenchWindow window = open(new Layout(0, 0, 0, 0, false, new int[0], new int[0],
                Map.of("BOTTOM", "peerchat.server"), Set.of(), Map.of()));

        window.addView(server);
        window.addView(plugins); // added later, not remembered: does not take the front
        assertEquals("peerchat.server", selectedIn(window, "area.bottom"));

        // Shutdown: the views' bundle stops, one view after the other; the folder selects a
        // neighbour each time, which is not the user's choice.
        window.removeView(server);
        window.removeView(plugins);
        assertEquals("peerchat.server", window.layout().selected().get("BOTTOM"));
        assertEquals(List.of(), problems);
    }

    @Test
    public void aTabTheUserPicksIsRemembered() {
        WorkbenchWindow window = open(Layout.NONE);
        window.addView(new TestView("peerchat.server", ViewArea.BOTTOM));
        window.addView(new TestView("peerchat.plugins", ViewArea.BOTTOM));
        CTabFolder bottom = folder(window, "area.bottom");
        bottom.setSelection(bottom.getItem(1));
        bottom.notifyListeners(SWT.Selection, new Event()); // as a click does
        assertEquals("peerchat.plugins", window.layout().selected().get("BOTTOM"));
    }

    @Test
    public void theCloseButtonClosesAViewAndItsViewMenuItemOpensItAgain() throws ReflectiveOperationException {
        TestView server = new TestView("peerchat.server", ViewArea.BOTTOM);
        WorkbenchWindow window = open(Layout.NONE);
        window.addView(server);
        window.addView(new TestView("peerchat.plugins", ViewArea.BOTTOM));
        settle();

        clickCloseButton(tab(window, "peerchat.server"));
        assertNull("the tab is gone", tab(window, "peerchat.server"));
        assertEquals(1, server.disposed);
        MenuItem menuItem = item(window.shell().getMenuBar(), "menu.view.peerchat.server");
        assertFalse("unchecked: closed", menuItem.getSelection());
        assertEquals(Set.of("peerchat.server"), window.layout().closed());
        assertEquals("the neighbour the user now sees", "peerchat.plugins", window.layout().selected().get("BOTTOM"));

        menuItem.setSelection(true);
        menuItem.notifyListeners(SWT.Selection, new Event()); // as a click does
        assertNotNull("the tab is back", tab(window, "peerchat.server"));
        assertEquals(2, server.created);
        assertEquals("peerchat.server", selectedIn(window, "area.bottom"));
        assertTrue(item(window.shell().getMenuBar(), "menu.view.peerchat.server").getSelection());
        assertEquals(Set.of(), window.layout().closed());
        assertEquals(List.of(), problems);
    }

    @Test
    public void aClosedViewStaysClosedInTheNextWindowAlsoWhenItComesLater() {
        TestView server = new TestView("peerchat.server", ViewArea.BOTTOM);
        WorkbenchWindow first = open(Layout.NONE);
        first.addView(server);
        settle();
        tabMenuItem(first, "peerchat.server", "tabMenu.close").notifyListeners(SWT.Selection, new Event());
        assertEquals(1, server.disposed);
        Layout layout = first.layout();
        assertEquals(Set.of("peerchat.server"), layout.closed());

        WorkbenchWindow next = open(layout);
        TestView again = new TestView("peerchat.server", ViewArea.BOTTOM); // its bundle starts after the window
        next.addView(again);
        assertEquals("not built", 0, again.created);
        assertNull(tab(next, "peerchat.server"));
        assertFalse(item(next.shell().getMenuBar(), "menu.view.peerchat.server").getSelection());
        assertEquals(Set.of("peerchat.server"), next.layout().closed());
        assertEquals(List.of(), problems);
    }

    @Test
    public void aMovedViewIsBuiltInItsNewAreaInFrontAndGoesThereInTheNextWindow() {
        TestView server = new TestView("peerchat.server", ViewArea.BOTTOM);
        WorkbenchWindow window = open(Layout.NONE);
        window.addView(new TestView("peerchat.roster", ViewArea.LEFT));
        window.addView(server);
        window.addView(new TestView("peerchat.plugins", ViewArea.BOTTOM));
        settle();

        assertFalse("already there", tabMenuItem(window, "peerchat.server", "tabMenu.moveTo.bottom").getEnabled());
        tabMenuItem(window, "peerchat.server", "tabMenu.moveTo.left").notifyListeners(SWT.Selection, new Event());
        assertEquals(1, server.disposed);
        assertEquals(2, server.created);
        assertSame("built in the left area", folder(window, "area.left"), server.parent.getParent());
        assertSame(folder(window, "area.left"), tab(window, "peerchat.server").getParent());
        assertEquals(1, folder(window, "area.bottom").getItemCount());
        assertEquals("peerchat.server", selectedIn(window, "area.left"));
        Layout layout = window.layout();
        assertEquals(Map.of("peerchat.server", ViewArea.LEFT), layout.moved());
        assertEquals("peerchat.server", layout.selected().get("LEFT"));

        WorkbenchWindow next = open(layout);
        TestView again = new TestView("peerchat.server", ViewArea.BOTTOM);
        next.addView(again);
        assertSame(folder(next, "area.left"), again.parent.getParent());

        // back where it would like to be: nothing to remember any more
        tabMenuItem(window, "peerchat.server", "tabMenu.moveTo.bottom").notifyListeners(SWT.Selection, new Event());
        assertSame(folder(window, "area.bottom"), server.parent.getParent());
        assertEquals(Map.of(), window.layout().moved());
        assertEquals(List.of(), problems);
    }

    @Test
    public void aRightClickBringsTheTabToTheFrontAndCountsAsTheUsersChoice() {
        WorkbenchWindow window = open(Layout.NONE);
        window.addView(new TestView("peerchat.server", ViewArea.BOTTOM));
        window.addView(new TestView("peerchat.plugins", ViewArea.BOTTOM));
        settle();
        assertEquals("peerchat.server", selectedIn(window, "area.bottom"));
        tabMenuItem(window, "peerchat.plugins", "tabMenu.close"); // the menu opens, nothing chosen
        assertEquals("peerchat.plugins", selectedIn(window, "area.bottom"));
        assertEquals("peerchat.plugins", window.layout().selected().get("BOTTOM"));
    }

    @Test
    public void theTabMenuIsOnlyOnTabs() {
        WorkbenchWindow window = open(Layout.NONE);
        window.addView(new TestView("peerchat.server", ViewArea.BOTTOM));
        settle();
        CTabFolder bottom = folder(window, "area.bottom");
        Rectangle client = bottom.getClientArea();
        Point inTheView = bottom.toDisplay(client.x + client.width / 2, client.y + client.height / 2);
        assertFalse("no tab menu in the view", menuDetect(bottom, inTheView).doit);
    }

    @Test
    public void aStoreFaultShowsInRedInTheStatusBarAndGoesAgain() throws java.io.IOException {
        WorkbenchWindow window = open(Layout.NONE);
        window.addView(new TestView("peerchat.server", ViewArea.BOTTOM));
        org.eclipse.swt.widgets.Label store = label(window.shell(), "status.store");
        assertFalse("hidden while messages can be stored", store.getVisible());

        // as the status poller finds it (WorkbenchComponent.pollStatus, Status.of with the ChatService)
        WorkbenchUnitTest.FakeChat chat = new WorkbenchUnitTest.FakeChat();
        chat.fault = java.util.Optional.of("disk full (/home/alice/.peerchat/store)");
        window.showStatus(Status.of(null, null, null, chat));
        settle();
        assertTrue(store.getVisible());
        assertEquals("cannot store messages: disk full (/home/alice/.peerchat/store)", store.getText());
        assertEquals("red", new org.eclipse.swt.graphics.RGB(0xd0, 0x10, 0x10), store.getForeground().getRGB());
        assertTrue("laid out", store.getBounds().width > 0);
        screenshot(window, "workbench-store-fault");

        chat.fault = java.util.Optional.empty();
        window.showStatus(Status.of(null, null, null, chat));
        assertFalse(store.getVisible());
        assertEquals("", store.getText());
    }

    private static org.eclipse.swt.widgets.Label label(Composite parent, String id) {
        for (var child : parent.getChildren()) {
            if (child instanceof org.eclipse.swt.widgets.Label label && id.equals(label.getData(Widgets.WIDGET_ID))) {
                return label;
            }
            if (child instanceof Composite composite) {
                org.eclipse.swt.widgets.Label found = label(composite, id);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The window as on screen, to {@code target/screenshots/NAME.png}, once GTK has painted it. */
    private static void screenshot(WorkbenchWindow window, String name) throws java.io.IOException {
        long until = System.nanoTime() + 400_000_000L;
        while (System.nanoTime() < until) {
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> {
                });
                display.sleep();
            }
        }
        java.nio.file.Path dir = java.nio.file.Path.of("target", "screenshots");
        java.nio.file.Files.createDirectories(dir);
        Rectangle bounds = window.shell().getBounds();
        org.eclipse.swt.graphics.Image image = new org.eclipse.swt.graphics.Image(display, bounds.width, bounds.height);
        org.eclipse.swt.graphics.GC gc = new org.eclipse.swt.graphics.GC(display);
        try {
            gc.copyArea(image, bounds.x, bounds.y);
            org.eclipse.swt.graphics.ImageLoader loader = new org.eclipse.swt.graphics.ImageLoader();
            loader.data = new org.eclipse.swt.graphics.ImageData[] { image.getImageData() };
            loader.save(dir.resolve(name + ".png").toString(), SWT.IMAGE_PNG);
        } finally {
            gc.dispose();
            image.dispose();
        }
    }

    private WorkbenchWindow open(Layout layout) {
        WorkbenchWindow window = new WorkbenchWindow(display, layout, new WorkbenchActions() {
            public void connect() {
            }

            public void disconnect() {
            }

            public void quit() {
            }
        }, (message, cause) -> problems.add(message));
        window.open();
        return window;
    }

    /** Lets the window take its size and lay out its tabs (no waiting: only what is queued). */
    private void settle() {
        while (display.readAndDispatch()) {
            // the queued events only
        }
    }

    /** A right-click on the view's tab, then the item of the tab menu. */
    private static MenuItem tabMenuItem(WorkbenchWindow window, String viewId, String itemId) {
        CTabItem tab = tab(window, viewId);
        Rectangle bounds = tab.getBounds();
        Event event = menuDetect(tab.getParent(), tab.getParent().toDisplay(bounds.x + bounds.width / 2,
                bounds.y + bounds.height / 2));
        assertTrue("a tab menu for " + viewId, event.doit);
        MenuItem item = item(tab.getParent().getMenu(), itemId);
        assertNotNull(itemId, item);
        return item;
    }

    /** The event a right-click at that point of the screen sends before the menu shows. */
    private static Event menuDetect(CTabFolder folder, Point at) {
        Event event = new Event();
        event.x = at.x;
        event.y = at.y;
        event.detail = SWT.MENU_MOUSE;
        folder.notifyListeners(SWT.MenuDetect, event);
        return event;
    }

    /**
     * A click on the tab's close button where CTabFolder draws it: its {@code closeRect}, which SWT
     * does not publish; button down and up there is what the folder takes as a click on it.
     */
    private static void clickCloseButton(CTabItem tab) throws ReflectiveOperationException {
        assertTrue("the tab has a close button", tab.getShowClose());
        Field field = CTabItem.class.getDeclaredField("closeRect");
        field.setAccessible(true);
        Rectangle button = (Rectangle) field.get(tab);
        assertTrue("the close button is laid out: " + button, button.width > 0);
        CTabFolder folder = tab.getParent();
        for (int type : new int[] { SWT.MouseDown, SWT.MouseUp }) {
            Event event = new Event();
            event.button = 1;
            event.x = button.x + button.width / 2;
            event.y = button.y + button.height / 2;
            folder.notifyListeners(type, event);
        }
    }

    private static MenuItem item(Menu menu, String id) {
        for (MenuItem item : menu.getItems()) {
            if (id.equals(item.getData(Widgets.WIDGET_ID))) {
                return item;
            }
            MenuItem found = item.getMenu() == null ? null : item(item.getMenu(), id);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The view's tab in whichever area it is; null for none. */
    private static CTabItem tab(WorkbenchWindow window, String viewId) {
        for (String area : List.of("area.left", "area.center", "area.bottom")) {
            for (CTabItem item : folder(window, area).getItems()) {
                if (("tab." + viewId).equals(item.getData(Widgets.WIDGET_ID))) {
                    return item;
                }
            }
        }
        return null;
    }

    private static String selectedIn(WorkbenchWindow window, String areaId) {
        Object id = folder(window, areaId).getSelection().getData(Widgets.WIDGET_ID);
        return String.valueOf(id).replace("tab.", "");
    }

    private static CTabFolder folder(WorkbenchWindow window, String areaId) {
        return find(window.shell(), areaId);
    }

    private static CTabFolder find(Composite parent, String id) {
        for (var child : parent.getChildren()) {
            if (child instanceof CTabFolder folder && id.equals(folder.getData(Widgets.WIDGET_ID))) {
                return folder;
            }
            if (child instanceof Composite composite) {
                CTabFolder found = find(composite, id);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** A view that counts how often it is built and disposed, and remembers where it was built. */
    private static final class TestView implements ViewContribution {
        private final String id;
        private final ViewArea area;
        int created;
        int disposed;
        Composite parent;

        TestView(String id, ViewArea area) {
            this.id = id;
            this.area = area;
        }

        public String id() {
            return id;
        }

        public String title() {
            return id;
        }

        public ViewArea area() {
            return area;
        }

        public void createView(Composite parent) {
            created++;
            this.parent = parent;
        }

        public void disposeView() {
            disposed++;
        }
    }
}
