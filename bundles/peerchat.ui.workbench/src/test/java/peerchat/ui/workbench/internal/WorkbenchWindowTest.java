package peerchat.ui.workbench.internal;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;
import peerchat.ui.support.Widgets;

/**
 * The real window on the display the build runs under (CI: Xvfb); skipped, with the reason printed,
 * where there is none.
 */
public class WorkbenchWindowTest {

    private Display display;
    private WorkbenchWindow window;
    private final List<String> problems = new ArrayList<>();

    @Before
    public void openDisplay() {
        boolean hasDisplay = System.getenv("DISPLAY") != null && !System.getenv("DISPLAY").isBlank();
        if (!hasDisplay) {
            System.out.println("SKIPPED WorkbenchWindowTest: no DISPLAY (run under xvfb-run)");
        }
        Assume.assumeTrue("no DISPLAY", hasDisplay);
        display = new Display();
        window = new WorkbenchWindow(display, new WorkbenchActions() {
            public void connect() {
            }

            public void disconnect() {
            }

            public void quit() {
            }
        }, (message, cause) -> problems.add(message));
    }

    @After
    public void closeDisplay() {
        if (display != null) {
            display.dispose();
        }
    }

    @Test
    public void theRememberedTabIsShownAgainAndSurvivesItsViewsGoingAway() {
        ViewContribution server = view("peerchat.server");
        ViewContribution plugins = view("peerchat.plugins");
        window.open(new Layout(0, 0, 0, 0, false, new int[0], new int[0], Map.of("BOTTOM", "peerchat.server")));

        window.addView(server);
        window.addView(plugins); // added later, not remembered: does not take the front
        assertEquals("peerchat.server", selectedIn("area.bottom"));

        // Shutdown: the views' bundle stops, one view after the other; the folder selects a
        // neighbour each time, which is not the user's choice.
        window.removeView(server);
        window.removeView(plugins);
        assertEquals("peerchat.server", window.layout().selected().get("BOTTOM"));
        assertEquals(List.of(), problems);
    }

    @Test
    public void aTabTheUserPicksIsRemembered() {
        ViewContribution server = view("peerchat.server");
        ViewContribution plugins = view("peerchat.plugins");
        window.open(Layout.NONE);
        window.addView(server);
        window.addView(plugins);
        CTabFolder bottom = folder("area.bottom");
        bottom.setSelection(bottom.getItem(1));
        bottom.notifyListeners(SWT.Selection, new Event()); // as a click does
        assertEquals("peerchat.plugins", window.layout().selected().get("BOTTOM"));
    }

    private String selectedIn(String areaId) {
        Object id = folder(areaId).getSelection().getData(Widgets.WIDGET_ID);
        return String.valueOf(id).replace("tab.", "");
    }

    private CTabFolder folder(String areaId) {
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

    private static ViewContribution view(String id) {
        return new ViewContribution() {
            public String id() {
                return id;
            }

            public String title() {
                return id;
            }

            public ViewArea area() {
                return ViewArea.BOTTOM;
            }

            public void createView(Composite parent) {
            }

            public void disposeView() {
            }
        };
    }
}
