package peerchat.ui.workbench.internal;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.MessageBox;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.ToolBar;
import org.eclipse.swt.widgets.ToolItem;

import peerchat.api.dto.ConnectionState;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;

/**
 * The main window: menu bar, tool bar, three areas (left, center, bottom; each a {@link CTabFolder} in
 * {@link SashForm}s) and a status bar. UI thread only.
 */
final class WorkbenchWindow {

    /** {@code Widget.getData(key)} names our controls, for tests and accessibility. */
    static final String WIDGET_ID = "peerchat.widget";
    static final String TITLE = "Peers Chatting";

    private final Display display;
    private final WorkbenchActions actions;
    private final BiConsumer<String, Throwable> problems;
    private final Shell shell;
    private final SashForm columns;
    private final SashForm rows;
    private final Map<ViewArea, CTabFolder> folders = new EnumMap<>(ViewArea.class);
    private final Map<ViewContribution, Slot> views = new LinkedHashMap<>();
    private final Menu viewMenu;
    private final Label connection;
    private final Label me;
    private final Label server;
    private final Color online;
    private final Color offline;

    /** One shown view: its tab, the composite it built into, the icon we created for it. */
    private record Slot(CTabItem item, Composite body, Image icon) {
    }

    WorkbenchWindow(Display display, WorkbenchActions actions, BiConsumer<String, Throwable> problems) {
        this.display = display;
        this.actions = actions;
        this.problems = problems;
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setText(TITLE);
        shell.setData(WIDGET_ID, "workbench.shell");
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.verticalSpacing = 0;
        shell.setLayout(layout);

        Menu bar = new Menu(shell, SWT.BAR);
        shell.setMenuBar(bar);
        Menu file = submenu(bar, "&File");
        item(file, "&Connect…\tCtrl+N", SWT.MOD1 + 'N', actions::connect);
        item(file, "&Disconnect", 0, actions::disconnect);
        new MenuItem(file, SWT.SEPARATOR);
        item(file, "&Quit\tCtrl+Q", SWT.MOD1 + 'Q', actions::quit);
        viewMenu = submenu(bar, "&View");
        Menu help = submenu(bar, "&Help");
        item(help, "&About Peers Chatting", 0, this::about);

        ToolBar tools = new ToolBar(shell, SWT.FLAT | SWT.RIGHT);
        tools.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        tool(tools, "Connect…", "Log in to a roster server", "workbench.connect", actions::connect);
        tool(tools, "Disconnect", "Log out", "workbench.disconnect", actions::disconnect);

        columns = new SashForm(shell, SWT.HORIZONTAL);
        columns.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        folders.put(ViewArea.LEFT, folder(columns, ViewArea.LEFT));
        rows = new SashForm(columns, SWT.VERTICAL);
        folders.put(ViewArea.CENTER, folder(rows, ViewArea.CENTER));
        folders.put(ViewArea.BOTTOM, folder(rows, ViewArea.BOTTOM));
        columns.setWeights(26, 74);
        rows.setWeights(72, 28);

        Composite status = new Composite(shell, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        GridLayout statusLayout = new GridLayout(5, false);
        statusLayout.marginHeight = 2;
        status.setLayout(statusLayout);
        connection = statusLabel(status, "status.connection", "Connection");
        separator(status);
        me = statusLabel(status, "status.me", "Own name and UDP address");
        separator(status);
        server = statusLabel(status, "status.server", "Roster server");
        online = new Color(display, 0x1b, 0x7f, 0x2a);
        offline = new Color(display, 0x9a, 0x2a, 0x1b);
        shell.addListener(SWT.Dispose, event -> {
            online.dispose();
            offline.dispose();
        });

        shell.addListener(SWT.Close, event -> {
            // the window closing is the application quitting; the framework then disposes everything
            event.doit = false;
            actions.quit();
        });
        updateAreas();
        rebuildViewMenu();
    }

    Shell shell() {
        return shell;
    }

    void open(Rectangle bounds) {
        if (bounds != null) {
            shell.setBounds(bounds);
        } else {
            shell.setSize(1000, 680);
            Rectangle screen = display.getPrimaryMonitor().getClientArea();
            Rectangle size = shell.getBounds();
            shell.setLocation(screen.x + (screen.width - size.width) / 2, screen.y + (screen.height - size.height) / 2);
        }
        shell.open();
    }

    boolean isDisposed() {
        return shell.isDisposed();
    }

    /** Shows the view as a tab of its area; does nothing when it is already shown. */
    void addView(ViewContribution view) {
        if (shell.isDisposed() || views.containsKey(view)) {
            return;
        }
        ViewArea area = view.area() == null ? ViewArea.CENTER : view.area();
        CTabFolder folder = folders.get(area);
        Composite body = new Composite(folder, SWT.NONE);
        body.setLayout(new FillLayout());
        body.setData(WIDGET_ID, "view." + view.id());
        CTabItem item = new CTabItem(folder, SWT.NONE);
        item.setText(view.title());
        item.setControl(body);
        item.setData(WIDGET_ID, "tab." + view.id());
        Image icon = null;
        try {
            ImageData data = view.icon();
            if (data != null) {
                icon = new Image(display, data);
                item.setImage(icon);
            }
            view.createView(body);
        } catch (RuntimeException | LinkageError e) {
            problems.accept("view " + view.id() + " failed to build; it is left empty", e);
        }
        views.put(view, new Slot(item, body, icon));
        if (folder.getSelection() == null) {
            folder.setSelection(item);
        }
        updateAreas();
        rebuildViewMenu();
        body.layout(true, true);
    }

    /** Asks the view to release its resources, then disposes its tab and what the workbench made. */
    void removeView(ViewContribution view) {
        Slot slot = views.remove(view);
        if (slot == null) {
            return;
        }
        try {
            view.disposeView();
        } catch (RuntimeException | LinkageError e) {
            problems.accept("view " + view.id() + " failed to dispose", e);
        }
        if (!slot.body().isDisposed()) {
            slot.body().dispose();
        }
        if (!slot.item().isDisposed()) {
            slot.item().dispose();
        }
        if (slot.icon() != null) {
            slot.icon().dispose();
        }
        if (!shell.isDisposed()) {
            updateAreas();
            rebuildViewMenu();
        }
    }

    /** Removes every view (each is asked to dispose), then closes the window for good. */
    void dispose() {
        for (ViewContribution view : views.keySet().toArray(ViewContribution[]::new)) {
            removeView(view);
        }
        if (!shell.isDisposed()) {
            shell.dispose();
        }
    }

    void showStatus(Status status) {
        if (shell.isDisposed()) {
            return;
        }
        connection.setText(status.connection());
        connection.setForeground(status.state() == ConnectionState.ONLINE ? online : offline);
        me.setText(status.me());
        server.setText(status.server());
        shell.setText(status.state() == ConnectionState.ONLINE && !status.me().startsWith("not logged in")
                ? TITLE + " — " + status.me().substring(0, status.me().indexOf(" · "))
                : TITLE);
        connection.getParent().layout(true);
    }

    void showError(String title, String message) {
        if (shell.isDisposed()) {
            return;
        }
        MessageBox box = new MessageBox(shell, SWT.ICON_ERROR | SWT.OK);
        box.setText(title);
        box.setMessage(message);
        box.open();
    }

    private void about() {
        MessageBox box = new MessageBox(shell, SWT.ICON_INFORMATION | SWT.OK);
        box.setText("About Peers Chatting");
        box.setMessage("Peers Chatting\n\nA roster over TCP, chat peer to peer over UDP,\non OSGi (Apache Felix) with an SWT workbench.");
        box.open();
    }

    /** An area without views gives its room to the others. */
    private void updateAreas() {
        boolean left = folders.get(ViewArea.LEFT).getItemCount() > 0;
        boolean center = folders.get(ViewArea.CENTER).getItemCount() > 0;
        boolean bottom = folders.get(ViewArea.BOTTOM).getItemCount() > 0;
        columns.setMaximizedControl(left ? null : rows);
        rows.setMaximizedControl(center && bottom ? null
                : bottom ? folders.get(ViewArea.BOTTOM) : folders.get(ViewArea.CENTER));
    }

    private void rebuildViewMenu() {
        for (MenuItem old : viewMenu.getItems()) {
            old.dispose();
        }
        if (views.isEmpty()) {
            MenuItem none = new MenuItem(viewMenu, SWT.PUSH);
            none.setText("(no views)");
            none.setEnabled(false);
            return;
        }
        views.forEach((view, slot) -> item(viewMenu, view.title(), 0, () -> {
            if (!slot.item().isDisposed()) {
                slot.item().getParent().setSelection(slot.item());
                slot.body().setFocus();
            }
        }));
    }

    private CTabFolder folder(Composite parent, ViewArea area) {
        CTabFolder folder = new CTabFolder(parent, SWT.BORDER | SWT.FLAT);
        folder.setData(WIDGET_ID, "area." + area.name().toLowerCase(java.util.Locale.ROOT));
        folder.setSimple(false);
        folder.setTabHeight(26);
        folder.setSelectionBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        return folder;
    }

    private static Menu submenu(Menu bar, String text) {
        MenuItem header = new MenuItem(bar, SWT.CASCADE);
        header.setText(text);
        Menu menu = new Menu(header);
        header.setMenu(menu);
        return menu;
    }

    private static void item(Menu menu, String text, int accelerator, Runnable action) {
        MenuItem item = new MenuItem(menu, SWT.PUSH);
        item.setText(text);
        if (accelerator != 0) {
            item.setAccelerator(accelerator);
        }
        item.addListener(SWT.Selection, event -> action.run());
    }

    private static void tool(ToolBar bar, String text, String tip, String id, Runnable action) {
        ToolItem item = new ToolItem(bar, SWT.PUSH);
        item.setText(text);
        item.setToolTipText(tip);
        item.setData(WIDGET_ID, id);
        item.addListener(SWT.Selection, event -> action.run());
    }

    private static Label statusLabel(Composite parent, String id, String accessibleName) {
        Label label = new Label(parent, SWT.NONE);
        label.setData(WIDGET_ID, id);
        label.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false));
        accessible(label, accessibleName);
        return label;
    }

    private static void separator(Composite parent) {
        Label bar = new Label(parent, SWT.SEPARATOR | SWT.VERTICAL);
        GridData data = new GridData(SWT.BEGINNING, SWT.FILL, false, false);
        data.heightHint = 16;
        bar.setLayoutData(data);
    }

    static void accessible(Control control, String name) {
        control.getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent event) {
                event.result = name;
            }
        });
    }
}
