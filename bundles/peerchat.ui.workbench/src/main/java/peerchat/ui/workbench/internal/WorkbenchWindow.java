package peerchat.ui.workbench.internal;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.eclipse.swt.SWT;
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
import peerchat.ui.support.Widgets;

/**
 * The main window: menu bar, tool bar, three areas (left, center, bottom; each a {@link CTabFolder} in
 * {@link SashForm}s) and a status bar. UI thread only.
 */
final class WorkbenchWindow {

    static final String TITLE = Texts.get("app.name");

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
    private Layout remembered = Layout.NONE;
    /**
     * Areas whose selected tab the user did not choose: CTabFolder selected a neighbour when a view
     * went away (its bundle stopping, e.g. at shutdown). Their remembered choice stands.
     */
    private final Set<ViewArea> selectionNotChosen = EnumSet.noneOf(ViewArea.class);

    /** One shown view: its tab, the composite it built into, the icon we created for it. */
    private record Slot(CTabItem item, Composite body, Image icon) {
    }

    WorkbenchWindow(Display display, WorkbenchActions actions, BiConsumer<String, Throwable> problems) {
        this.display = display;
        this.actions = actions;
        this.problems = problems;
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setText(TITLE);
        Widgets.name(shell, "workbench.shell");
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.verticalSpacing = 0;
        shell.setLayout(layout);

        Menu bar = new Menu(shell, SWT.BAR);
        shell.setMenuBar(bar);
        Menu file = submenu(bar, Texts.get("menu.file"));
        item(file, Texts.get("menu.connect"), SWT.MOD1 + 'N', actions::connect);
        item(file, Texts.get("menu.disconnect"), 0, actions::disconnect);
        new MenuItem(file, SWT.SEPARATOR);
        item(file, Texts.get("menu.quit"), SWT.MOD1 + 'Q', actions::quit);
        viewMenu = submenu(bar, Texts.get("menu.view"));
        Menu help = submenu(bar, Texts.get("menu.help"));
        item(help, Texts.get("menu.about"), 0, this::about);

        ToolBar tools = new ToolBar(shell, SWT.FLAT | SWT.RIGHT);
        tools.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        tool(tools, Texts.get("tool.connect"), Texts.get("tool.connect.tip"), "workbench.connect", actions::connect);
        tool(tools, Texts.get("tool.disconnect"), Texts.get("tool.disconnect.tip"), "workbench.disconnect", actions::disconnect);

        columns = new SashForm(shell, SWT.HORIZONTAL);
        columns.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        folders.put(ViewArea.LEFT, folder(columns, ViewArea.LEFT));
        rows = new SashForm(columns, SWT.VERTICAL);
        folders.put(ViewArea.CENTER, folder(rows, ViewArea.CENTER));
        folders.put(ViewArea.BOTTOM, folder(rows, ViewArea.BOTTOM));
        columns.setWeights(28, 72);
        rows.setWeights(64, 36);

        Composite status = new Composite(shell, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        GridLayout statusLayout = new GridLayout(5, false);
        statusLayout.marginHeight = 2;
        status.setLayout(statusLayout);
        connection = statusLabel(status, "status.connection", Texts.get("status.connection.name"));
        separator(status);
        me = statusLabel(status, "status.me", Texts.get("status.me.name"));
        separator(status);
        server = statusLabel(status, "status.server", Texts.get("status.server.name"));
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

    /** Opens the window with the remembered layout, or centred on the screen. */
    void open(Layout layout) {
        remembered = layout;
        Rectangle screen = display.getPrimaryMonitor().getClientArea();
        if (layout.hasBounds() && screen.intersects(new Rectangle(layout.x(), layout.y(), layout.width(), layout.height()))) {
            shell.setBounds(layout.x(), layout.y(), layout.width(), layout.height());
        } else {
            shell.setSize(Math.min(1200, screen.width * 9 / 10), Math.min(820, screen.height * 9 / 10));
            Rectangle size = shell.getBounds();
            shell.setLocation(screen.x + (screen.width - size.width) / 2, screen.y + (screen.height - size.height) / 2);
        }
        if (layout.columns().length == 2) {
            columns.setWeights(layout.columns());
        }
        if (layout.rows().length == 2) {
            rows.setWeights(layout.rows());
        }
        shell.setMaximized(layout.maximized());
        shell.open();
    }

    /**
     * The layout to remember: bounds, sash weights, the selected view per area. An area that is empty
     * now (its views' bundle stopped, e.g. during shutdown) keeps what it had when it last had views.
     */
    Layout layout() {
        Rectangle bounds = shell.getBounds();
        Map<String, String> selected = new java.util.HashMap<>(remembered.selected());
        views.forEach((view, slot) -> {
            if (!slot.item().isDisposed() && slot.item().getParent().getSelection() == slot.item()
                    && !selectionNotChosen.contains(area(view))) {
                selected.put(area(view).name(), view.id());
            }
        });
        remembered = new Layout(bounds.x, bounds.y, bounds.width, bounds.height, shell.getMaximized(),
                columns.getMaximizedControl() == null ? columns.getWeights() : remembered.columns(),
                rows.getMaximizedControl() == null ? rows.getWeights() : remembered.rows(), selected);
        return remembered;
    }

    private static ViewArea area(ViewContribution view) {
        return view.area() == null ? ViewArea.CENTER : view.area();
    }

    boolean isDisposed() {
        return shell.isDisposed();
    }

    /** Shows the view as a tab of its area; does nothing when it is already shown. */
    void addView(ViewContribution view) {
        if (shell.isDisposed() || views.containsKey(view)) {
            return;
        }
        ViewArea area = area(view);
        CTabFolder folder = folders.get(area);
        Composite body = new Composite(folder, SWT.NONE);
        body.setLayout(new FillLayout());
        Widgets.name(body, "view." + view.id());
        CTabItem item = new CTabItem(folder, SWT.NONE);
        item.setText(view.title());
        item.setControl(body);
        Widgets.name(item, "tab." + view.id());
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
        if (view.id().equals(remembered.selected().get(area.name()))) {
            folder.setSelection(item);
            selectionNotChosen.remove(area); // the remembered choice is back
        } else if (folder.getSelection() == null) {
            folder.setSelection(item);
        }
        updateAreas();
        rebuildViewMenu();
        body.layout(true, true);
    }

    /** Asks the view to release its resources, then disposes its tab and what the workbench made. */
    void removeView(ViewContribution view) {
        if (!views.containsKey(view)) {
            return;
        }
        if (!shell.isDisposed()) {
            layout(); // remembers the layout while the view is still there
        }
        Slot slot = views.remove(view);
        try {
            view.disposeView();
        } catch (RuntimeException | LinkageError e) {
            problems.accept("view " + view.id() + " failed to dispose", e);
        }
        if (!slot.body().isDisposed()) {
            slot.body().dispose();
        }
        if (!slot.item().isDisposed()) {
            boolean wasSelected = slot.item().getParent().getSelection() == slot.item();
            slot.item().dispose();
            if (wasSelected) {
                selectionNotChosen.add(area(view));
            }
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
        // a view may prefix the title with an unread count, e.g. "(2) "; it stays
        java.util.regex.Matcher unread = java.util.regex.Pattern.compile("^\\(\\d+\\) ").matcher(shell.getText());
        shell.setText((unread.find() ? unread.group() : "")
                + (status.onlineAs().isEmpty() ? TITLE : TITLE + " — " + status.onlineAs()));
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
        box.setText(Texts.get("about.title"));
        box.setMessage(Texts.get("about.text"));
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
            none.setText(Texts.get("menu.view.none"));
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
        Widgets.name(folder, "area." + area.name().toLowerCase(java.util.Locale.ROOT));
        folder.setSimple(false);
        folder.setTabHeight(26);
        folder.setSelectionBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        folder.addListener(SWT.Selection, event -> selectionNotChosen.remove(area)); // the user's click
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
        Widgets.name(item, id);
        item.addListener(SWT.Selection, event -> action.run());
    }

    private static Label statusLabel(Composite parent, String id, String accessibleName) {
        Label label = new Label(parent, SWT.NONE);
        Widgets.accessible(label, id, accessibleName);
        label.setLayoutData(new GridData(SWT.BEGINNING, SWT.CENTER, false, false));
        return label;
    }

    private static void separator(Composite parent) {
        Label bar = new Label(parent, SWT.SEPARATOR | SWT.VERTICAL);
        GridData data = new GridData(SWT.BEGINNING, SWT.FILL, false, false);
        data.heightHint = 16;
        bar.setLayoutData(data);
    }
}
