package peerchat.ui.workbench.internal;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabFolder2Listener;
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
 * {@link SashForm}s) and a status bar. The user closes views (the tab's close button or its context
 * menu), reopens them from the View menu and moves them to another area (the tab's context menu); the
 * {@link Layout} remembers both by view id. UI thread only.
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
    /** Every view the workbench has, open or closed, in the order they came: the View menu lists them. */
    private final Set<ViewContribution> registered = new LinkedHashSet<>();
    /** The open views. */
    private final Map<ViewContribution, Slot> views = new LinkedHashMap<>();
    private final Menu viewMenu;
    private final Label connection;
    private final Label me;
    private final Label server;
    /** Why messages cannot be stored, in red; hidden while they can. */
    private final Label store;
    private final Color online;
    private final Color offline;
    private final Color faultColor;
    private static final String SEPARATOR = "peerchat.separator";
    private Layout remembered;
    /** Ids of the views the user closed: not built when they come (again) until reopened. */
    private final Set<String> closed;
    /**
     * The area the user moved a view to, by view id, where that is not the view's own
     * {@link ViewContribution#area()}.
     */
    private final Map<String, ViewArea> moved;
    /**
     * Areas whose selected tab the user did not choose: CTabFolder selected a neighbour when a view
     * went away (its bundle stopping, e.g. at shutdown). Their remembered choice stands.
     */
    private final Set<ViewArea> selectionNotChosen = EnumSet.noneOf(ViewArea.class);

    /** One shown view: the area it is in, its tab, the composite it built into, the icon we created for it. */
    private record Slot(ViewArea area, CTabItem item, Composite body, Image icon) {
    }

    /**
     * A window for the remembered layout; it is known before the first view is added, so that views the
     * user closed are not built and moved views go where the user put them.
     */
    WorkbenchWindow(Display display, Layout layout, WorkbenchActions actions, BiConsumer<String, Throwable> problems) {
        this.display = display;
        this.actions = actions;
        this.problems = problems;
        remembered = layout;
        closed = new HashSet<>(layout.closed());
        moved = new HashMap<>(layout.moved());
        shell = new Shell(display, SWT.SHELL_TRIM);
        shell.setText(TITLE);
        Widgets.name(shell, "workbench.shell");
        GridLayout grid = new GridLayout(1, false);
        grid.marginWidth = 0;
        grid.marginHeight = 0;
        grid.verticalSpacing = 0;
        shell.setLayout(grid);

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
        GridLayout statusLayout = new GridLayout(7, false);
        statusLayout.marginHeight = 2;
        status.setLayout(statusLayout);
        connection = statusLabel(status, "status.connection", Texts.get("status.connection.name"));
        separator(status);
        me = statusLabel(status, "status.me", Texts.get("status.me.name"));
        separator(status);
        server = statusLabel(status, "status.server", Texts.get("status.server.name"));
        Label storeSeparator = separator(status);
        store = statusLabel(status, "status.store", Texts.get("status.store.name"));
        storeSeparator.setVisible(false);
        ((GridData) storeSeparator.getLayoutData()).exclude = true;
        store.setVisible(false);
        ((GridData) store.getLayoutData()).exclude = true;
        store.setData(SEPARATOR, storeSeparator);
        online = new Color(display, 0x1b, 0x7f, 0x2a);
        offline = new Color(display, 0x9a, 0x2a, 0x1b);
        faultColor = new Color(display, 0xd0, 0x10, 0x10);
        store.setForeground(faultColor);
        shell.addListener(SWT.Dispose, event -> {
            online.dispose();
            offline.dispose();
            faultColor.dispose();
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

    /** Opens the window with the bounds and sash weights of its layout, or centred on the screen. */
    void open() {
        Layout layout = remembered;
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
     * The layout to remember: bounds, sash weights, the selected view per area, the closed and the moved
     * views. An area that is empty now (its views' bundle stopped, e.g. during shutdown) keeps what it had
     * when it last had views.
     */
    Layout layout() {
        Rectangle bounds = shell.getBounds();
        Map<String, String> selected = new HashMap<>(remembered.selected());
        views.forEach((view, slot) -> {
            if (!slot.item().isDisposed() && slot.item().getParent().getSelection() == slot.item()
                    && !selectionNotChosen.contains(slot.area())) {
                selected.put(slot.area().name(), view.id());
            }
        });
        remembered = new Layout(bounds.x, bounds.y, bounds.width, bounds.height, shell.getMaximized(),
                columns.getMaximizedControl() == null ? columns.getWeights() : remembered.columns(),
                rows.getMaximizedControl() == null ? rows.getWeights() : remembered.rows(), selected, closed, moved);
        return remembered;
    }

    /** Where the view would like to be. */
    private static ViewArea ownArea(ViewContribution view) {
        return view.area() == null ? ViewArea.CENTER : view.area();
    }

    /** Where the view goes: where the user moved it, else where it would like to be. */
    private ViewArea areaFor(ViewContribution view) {
        return moved.getOrDefault(view.id(), ownArea(view));
    }

    boolean isDisposed() {
        return shell.isDisposed();
    }

    /**
     * Shows the view as a tab of its area, unless the user closed it: then only the View menu lists it.
     * Does nothing for a view the window already has.
     */
    void addView(ViewContribution view) {
        if (shell.isDisposed() || !registered.add(view)) {
            return;
        }
        String id;
        try {
            id = view.id();
            view.title();
        } catch (RuntimeException | LinkageError e) {
            // plugin code: a contribution whose bundle was just updated answers with a dead class loader
            registered.remove(view);
            // a warning, not an error: the contribution's replacement is added when it registers
            problems.accept("a view could not be added (is its bundle being replaced?): " + e, null);
            return;
        }
        if (closed.contains(id)) {
            rebuildViewMenu();
            return;
        }
        Slot slot = build(view, areaFor(view));
        if (view.id().equals(remembered.selected().get(slot.area().name()))) {
            select(slot); // the remembered choice is back
        } else if (slot.item().getParent().getSelection() == null) {
            slot.item().getParent().setSelection(slot.item());
        }
        arranged(slot);
    }

    /** The view went away (its service): asks it to release its resources and disposes its tab. */
    void removeView(ViewContribution view) {
        if (!registered.remove(view)) {
            return;
        }
        Slot slot = views.get(view);
        if (slot != null) {
            if (!shell.isDisposed()) {
                layout(); // remembers the layout while the view is still there
            }
            if (discard(view)) {
                selectionNotChosen.add(slot.area());
            }
        }
        if (!shell.isDisposed()) {
            updateAreas();
            rebuildViewMenu();
        }
    }

    /**
     * The user closes the view: it is disposed like a view that goes away, but stays in the View menu
     * and stays closed, also after a restart, until the user opens it again. The tab the folder selects
     * instead counts as the user's choice (the folder's Selection event says so).
     */
    void closeView(ViewContribution view) {
        if (!views.containsKey(view)) {
            return;
        }
        discard(view);
        closed.add(view.id());
        updateAreas();
        rebuildViewMenu();
    }

    /** The user opens a closed view again: it is built in its area and comes to the front. */
    void reopenView(ViewContribution view) {
        if (!registered.contains(view) || views.containsKey(view)) {
            return;
        }
        closed.remove(view.id());
        Slot slot = build(view, areaFor(view));
        select(slot);
        arranged(slot);
        slot.body().setFocus();
    }

    /**
     * The user moves the view to another area: it is disposed in its folder and built again in the other
     * one (views know this cycle from their bundles stopping and starting), comes to the front there,
     * and goes there from now on, also after a restart.
     */
    void moveView(ViewContribution view, ViewArea area) {
        Slot old = views.get(view);
        if (old == null || old.area() == area) {
            return;
        }
        discard(view);
        if (area == ownArea(view)) {
            moved.remove(view.id());
        } else {
            moved.put(view.id(), area);
        }
        Slot slot = build(view, area);
        select(slot);
        arranged(slot);
    }

    /** Builds the view into a new tab of the area; a view that fails is reported and left empty. */
    private Slot build(ViewContribution view, ViewArea area) {
        CTabFolder folder = folders.get(area);
        Composite body = new Composite(folder, SWT.NONE);
        body.setLayout(new FillLayout());
        Widgets.name(body, "view." + view.id());
        CTabItem item = new CTabItem(folder, SWT.CLOSE);
        item.setControl(body);
        Widgets.name(item, "tab." + view.id());
        Image icon = null;
        try {
            item.setText(view.title());
            ImageData data = view.icon();
            if (data != null) {
                icon = new Image(display, data);
                item.setImage(icon);
            }
            view.createView(body);
        } catch (RuntimeException | LinkageError e) {
            problems.accept("view " + view.id() + " failed to build; it is left empty", e);
        }
        Slot slot = new Slot(area, item, body, icon);
        views.put(view, slot);
        return slot;
    }

    /** The tab in front of its area, as the user's choice. */
    private void select(Slot slot) {
        slot.item().getParent().setSelection(slot.item());
        selectionNotChosen.remove(slot.area());
    }

    /** After a view was built: the areas, the View menu and the view's widgets follow. */
    private void arranged(Slot slot) {
        updateAreas();
        rebuildViewMenu();
        slot.body().layout(true, true);
    }

    /**
     * Asks the open view to release its resources, then disposes its tab and what the workbench made.
     * True if its tab was the selected one (the folder then selects a neighbour).
     */
    private boolean discard(ViewContribution view) {
        Slot slot = views.remove(view);
        try {
            view.disposeView();
        } catch (RuntimeException | LinkageError e) {
            problems.accept("view " + view.id() + " failed to dispose", e);
        }
        if (!slot.body().isDisposed()) {
            slot.body().dispose();
        }
        boolean wasSelected = false;
        if (!slot.item().isDisposed()) {
            wasSelected = slot.item().getParent().getSelection() == slot.item();
            slot.item().dispose();
        }
        if (slot.icon() != null) {
            slot.icon().dispose();
        }
        return wasSelected;
    }

    /** Removes every view (each is asked to dispose), then closes the window for good. */
    void dispose() {
        for (ViewContribution view : registered.toArray(ViewContribution[]::new)) {
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
        boolean fault = !status.storeFault().isEmpty();
        store.setText(status.storeFault());
        store.setToolTipText(fault ? status.storeFault() : null);
        for (Label label : new Label[] { store, (Label) store.getData(SEPARATOR) }) {
            label.setVisible(fault);
            ((GridData) label.getLayoutData()).exclude = !fault;
        }
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

    /** One check item per view, checked while it is open: choosing it closes or reopens the view. */
    private void rebuildViewMenu() {
        for (MenuItem old : viewMenu.getItems()) {
            old.dispose();
        }
        if (registered.isEmpty()) {
            MenuItem none = new MenuItem(viewMenu, SWT.PUSH);
            none.setText(Texts.get("menu.view.none"));
            none.setEnabled(false);
            return;
        }
        for (ViewContribution view : registered) {
            MenuItem item = new MenuItem(viewMenu, SWT.CHECK);
            item.setText(view.title());
            item.setSelection(views.containsKey(view));
            Widgets.name(item, "menu.view." + view.id());
            item.addListener(SWT.Selection, event -> {
                if (views.containsKey(view)) {
                    closeView(view);
                } else {
                    reopenView(view);
                }
            });
        }
    }

    /**
     * The context menu of the tabs (right-click on a tab, or the menu key on the selected one: the
     * folder then places the event on that tab): move the view to another area, or close it. Filled for
     * the tab it is opened on; elsewhere in the folder (the views' own controls) there is none.
     */
    private void tabMenu(CTabFolder folder) {
        Menu menu = new Menu(folder);
        folder.setMenu(menu);
        folder.addListener(SWT.MenuDetect, event -> {
            CTabItem tab = folder.getItem(folder.toControl(event.x, event.y));
            ViewContribution view = viewOf(tab);
            event.doit = view != null;
            if (view != null) {
                if (folder.getSelection() != tab) {
                    folder.setSelection(tab); // as in Eclipse: the tab the menu is for comes to the front
                    selectionNotChosen.remove(views.get(view).area());
                }
                fillTabMenu(menu, view);
            }
        });
    }

    private void fillTabMenu(Menu menu, ViewContribution view) {
        for (MenuItem old : menu.getItems()) {
            old.dispose();
        }
        MenuItem moveTo = new MenuItem(menu, SWT.CASCADE);
        moveTo.setText(Texts.get("tab.moveTo"));
        Widgets.name(moveTo, "tabMenu.moveTo");
        Menu areas = new Menu(moveTo);
        moveTo.setMenu(areas);
        for (ViewArea area : ViewArea.values()) {
            MenuItem target = item(areas, areaTitle(area), 0, () -> moveView(view, area));
            Widgets.name(target, "tabMenu.moveTo." + area.name().toLowerCase(Locale.ROOT));
            target.setEnabled(area != views.get(view).area());
        }
        new MenuItem(menu, SWT.SEPARATOR);
        Widgets.name(item(menu, Texts.get("tab.close"), 0, () -> closeView(view)), "tabMenu.close");
    }

    private static String areaTitle(ViewArea area) {
        return switch (area) {
            case LEFT -> Texts.get("area.left");
            case CENTER -> Texts.get("area.center");
            case BOTTOM -> Texts.get("area.bottom");
        };
    }

    /** The open view with that tab; null for none. */
    private ViewContribution viewOf(CTabItem item) {
        return views.entrySet().stream().filter(view -> view.getValue().item() == item).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private CTabFolder folder(Composite parent, ViewArea area) {
        CTabFolder folder = new CTabFolder(parent, SWT.BORDER | SWT.FLAT);
        Widgets.name(folder, "area." + area.name().toLowerCase(Locale.ROOT));
        folder.setSimple(false);
        folder.setTabHeight(26);
        folder.setSelectionBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        folder.addListener(SWT.Selection, event -> selectionNotChosen.remove(area)); // the user's click
        folder.addCTabFolder2Listener(CTabFolder2Listener.closeAdapter(event -> {
            // the close button: the workbench closes the view itself (disposeView first, then the tab)
            event.doit = false;
            ViewContribution view = viewOf((CTabItem) event.item);
            if (view != null) {
                closeView(view);
            }
        }));
        tabMenu(folder);
        return folder;
    }

    private static Menu submenu(Menu bar, String text) {
        MenuItem header = new MenuItem(bar, SWT.CASCADE);
        header.setText(text);
        Menu menu = new Menu(header);
        header.setMenu(menu);
        return menu;
    }

    private static MenuItem item(Menu menu, String text, int accelerator, Runnable action) {
        MenuItem item = new MenuItem(menu, SWT.PUSH);
        item.setText(text);
        if (accelerator != 0) {
            item.setAccelerator(accelerator);
        }
        item.addListener(SWT.Selection, event -> action.run());
        return item;
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

    private static Label separator(Composite parent) {
        Label bar = new Label(parent, SWT.SEPARATOR | SWT.VERTICAL);
        GridData data = new GridData(SWT.BEGINNING, SWT.FILL, false, false);
        data.heightHint = 16;
        bar.setLayoutData(data);
        return bar;
    }
}
