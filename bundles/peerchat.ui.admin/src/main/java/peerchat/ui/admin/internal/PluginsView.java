package peerchat.ui.admin.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;
import peerchat.ui.support.Widgets;

/**
 * Every bundle with its state and what it contributes (views, Gogo commands); start, stop, update,
 * uninstall, and install from a file. The operations run on a worker thread: stopping a bundle
 * removes its views, which needs the UI thread free.
 */
@Component(service = ViewContribution.class, property = ViewContribution.VIEW_ID + "=" + PluginsView.ID)
public class PluginsView implements ViewContribution {

    static final String ID = "peerchat.plugins";
    /**
     * Test seam: a {@code java.util.function.Supplier<String>} set as this data of the Install…
     * button answers instead of the native {@link FileDialog} (the path to install, or null to cancel).
     */
    static final String FILE_CHOOSER = "peerchat.fileChooser";

    @Reference
    private UiExecutor ui;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private BundleContext context;
    private ExecutorService worker;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    /** The bundle just installed: the next refresh selects and reveals its row; -1 for none. */
    private volatile long reveal = -1;
    private final BundleListener bundles = event -> refreshSoon();
    private final ServiceListener services = event -> {
        if (event.getType() != ServiceEvent.MODIFIED) {
            refreshSoon();
        }
    };
    /** UI thread only. */
    private Table table;
    private Label message;
    private final List<Button> actions = new ArrayList<>();

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-plugins");
            thread.setDaemon(true);
            return thread;
        });
        context.addBundleListener(bundles);
        context.addServiceListener(services);
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(services);
        context.removeBundleListener(bundles);
        worker.shutdownNow();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return Texts.get("plugins.title");
    }

    @Override
    public ViewArea area() {
        return ViewArea.BOTTOM;
    }

    @Override
    public ImageData icon() {
        return Widgets.dotData(new RGB(0x80, 0x80, 0x80));
    }

    @Override
    public void createView(Composite parent) {
        Composite body = new Composite(parent, SWT.NONE);
        body.setLayout(new GridLayout(1, false));
        Composite bar = new Composite(body, SWT.NONE);
        bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        GridLayout barLayout = new GridLayout(7, false);
        barLayout.marginWidth = 0;
        barLayout.marginHeight = 0;
        bar.setLayout(barLayout);
        action(bar, Texts.get("plugins.start"), "plugins.start", bundle -> bundle.start());
        action(bar, Texts.get("plugins.stop"), "plugins.stop", bundle -> bundle.stop());
        action(bar, Texts.get("plugins.update"), "plugins.update", bundle -> bundle.update());
        action(bar, Texts.get("plugins.uninstall"), "plugins.uninstall", bundle -> bundle.uninstall());
        Button install = Widgets.accessible(new Button(bar, SWT.PUSH), "plugins.install", Texts.get("plugins.install.name"));
        install.setText(Texts.get("plugins.install"));
        install.addListener(SWT.Selection, event -> install(install));
        message = Widgets.accessible(new Label(bar, SWT.NONE), "plugins.message", Texts.get("plugins.message.name"));
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        table = Widgets.accessible(new Table(body, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL),
                "plugins.table", Texts.get("plugins.table.name"));
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.setHeaderVisible(true);
        column(Texts.get("plugins.column.id"), 40);
        column(Texts.get("plugins.column.bundle"), 260);
        column(Texts.get("plugins.column.version"), 170);
        column(Texts.get("plugins.column.state"), 80);
        column(Texts.get("plugins.column.contributes"), 520);
        table.addListener(SWT.Selection, event -> enableActions());
        refreshSoon();
    }

    @Override
    public void disposeView() {
        table = null;
        message = null;
        actions.clear();
    }

    private interface BundleAction {
        void apply(Bundle bundle) throws BundleException;

        interface Operation {
            void run() throws BundleException;
        }
    }

    private void column(String title, int width) {
        TableColumn column = new TableColumn(table, SWT.LEFT);
        column.setText(title);
        column.setWidth(width);
    }

    private void action(Composite parent, String text, String id, BundleAction action) {
        Button button = Widgets.accessible(new Button(parent, SWT.PUSH), id,
                Texts.get("plugins.action.name", text.replace("&", "")));
        button.setText(text);
        button.addListener(SWT.Selection, event -> {
            BundleRow row = selected();
            if (row == null) {
                return;
            }
            if (row.isSwt() && (id.equals("plugins.update") || id.equals("plugins.uninstall") || id.equals("plugins.stop"))) {
                say(Texts.get("plugins.swt"));
                return;
            }
            run(text.replace("&", "") + " " + row.symbolicName(), () -> {
                Bundle bundle = context.getBundle(row.id());
                if (bundle == null) {
                    throw new BundleException("bundle " + row.id() + " is gone");
                }
                action.apply(bundle);
            });
        });
        actions.add(button);
    }

    private void install(Button install) {
        String path = install.getData(FILE_CHOOSER) instanceof Supplier<?> chooser ? (String) chooser.get() : choose();
        if (path == null) {
            return;
        }
        run(Texts.get("plugins.installing", new File(path).getName()), () -> {
            try (InputStream in = Files.newInputStream(new File(path).toPath())) {
                Bundle bundle = context.installBundle(new File(path).toURI().toString(), in);
                reveal = bundle.getBundleId();
                if (bundle.getHeaders("").get(org.osgi.framework.Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            } catch (IOException e) {
                throw new BundleException("cannot read " + path + ": " + e.getMessage(), e);
            }
        });
    }

    /** The native file dialog (modal: returns when the user has chosen or cancelled). */
    private String choose() {
        FileDialog dialog = new FileDialog(table.getShell(), SWT.OPEN);
        dialog.setText(Texts.get("plugins.install.title"));
        dialog.setFilterExtensions(new String[] { "*.jar", "*" });
        return dialog.open();
    }

    /** On the worker: the operation, then its outcome in the message label. */
    private void run(String what, BundleAction.Operation operation) {
        say(what + "…");
        worker.execute(() -> {
            String outcome;
            try {
                operation.run();
                outcome = Texts.get("plugins.done", what);
            } catch (BundleException | IllegalStateException | SecurityException e) {
                logger.warn("{} failed: {}", what, e.getMessage());
                outcome = Texts.get("plugins.failed", what, e.getMessage());
            }
            String shown = outcome;
            ui.execute(() -> {
                if (Widgets.alive(message)) {
                    say(shown);
                }
            });
        });
    }

    /** UI thread: the last result, also as the tool tip (the bar may cut a long text). */
    private void say(String text) {
        message.setText(text);
        message.setToolTipText(text);
        message.getParent().layout(true);
    }

    /** Coalesces bursts of bundle and service events into one refresh. */
    private void refreshSoon() {
        // a framework event dispatch that began before deactivation may still call the listeners
        if (worker.isShutdown()) {
            return;
        }
        if (refreshQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                refreshQueued.set(false);
                List<BundleRow> rows = new ArrayList<>();
                for (Bundle bundle : context.getBundles()) {
                    try {
                        rows.add(BundleRow.of(bundle));
                    } catch (IllegalStateException uninstalledMeanwhile) {
                        logger.debug("bundle {} went away while listing", bundle.getBundleId());
                    }
                }
                ui.execute(() -> show(rows));
            });
        }
    }

    private void show(List<BundleRow> rows) {
        if (!Widgets.alive(table)) {
            return;
        }
        BundleRow before = selected();
        long installed = reveal;
        TableItem revealed = null;
        table.setRedraw(false);
        try {
            table.removeAll();
            for (BundleRow row : rows) {
                TableItem item = new TableItem(table, SWT.NONE);
                item.setText(new String[] { Long.toString(row.id()), row.symbolicName(), row.version(),
                        row.fragment() ? Texts.get("plugins.fragment") : row.state(), row.contributions() });
                item.setData(row);
                if (row.id() == installed) {
                    revealed = item;
                } else if (before != null && before.id() == row.id() && installed < 0) {
                    table.setSelection(item);
                }
            }
        } finally {
            table.setRedraw(true);
        }
        if (revealed != null) {
            reveal = -1;
            table.setSelection(revealed);
            table.showItem(revealed);
        }
        enableActions();
    }

    private BundleRow selected() {
        if (!Widgets.alive(table) || table.getSelectionCount() == 0) {
            return null;
        }
        return (BundleRow) table.getSelection()[0].getData();
    }

    private void enableActions() {
        BundleRow row = selected();
        for (Button button : actions) {
            button.setEnabled(row != null && row.id() != 0 && !row.fragment());
        }
    }
}
