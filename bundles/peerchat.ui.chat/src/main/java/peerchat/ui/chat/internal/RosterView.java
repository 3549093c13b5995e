package peerchat.ui.chat.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.api.roster.RosterClient;
import peerchat.api.roster.RosterListener;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;

/**
 * Who is online: presence dot, name, status text and address; live updates from the roster client;
 * a filter; double-click opens a conversation; several selected → one group conversation.
 */
@Component(service = { ViewContribution.class, RosterListener.class },
        property = ViewContribution.VIEW_ID + "=" + RosterView.ID)
public class RosterView implements ViewContribution, RosterListener {

    static final String ID = "peerchat.roster";
    private static final RGB GREEN = new RGB(0x2e, 0xa0, 0x43);
    private static final RGB AMBER = new RGB(0xe3, 0x9b, 0x14);
    private static final RGB RED = new RGB(0xd0, 0x3b, 0x2f);
    private static final RGB GREY = new RGB(0x9a, 0x9a, 0x9a);

    @Reference
    private UiExecutor ui;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterClient roster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConversationOpener conversations;

    /** UI thread only, from here on. */
    private List<RosterEntry> entries = List.of();
    private boolean stale;
    private Text filter;
    private Table table;
    private Label summary;
    private Button message;
    private final Map<Presence, Image> dots = new EnumMap<>(Presence.class);
    private Image staleDot;
    private boolean firstPaintLogged;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return Texts.get("roster.title");
    }

    @Override
    public ViewArea area() {
        return ViewArea.LEFT;
    }

    @Override
    public ImageData icon() {
        return Widgets.dotData(GREEN);
    }

    @Override
    public void createView(Composite parent) {
        var display = parent.getDisplay();
        dots.put(Presence.ONLINE, Widgets.dot(display, GREEN));
        dots.put(Presence.AWAY, Widgets.dot(display, AMBER));
        dots.put(Presence.BUSY, Widgets.dot(display, RED));
        staleDot = Widgets.dot(display, GREY);

        Composite body = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 4;
        layout.marginHeight = 4;
        body.setLayout(layout);

        filter = Widgets.accessible(new Text(body, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL | SWT.BORDER),
                "roster.filter", Texts.get("roster.filter.name"));
        filter.setMessage(Texts.get("roster.filter"));
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filter.addListener(SWT.Modify, event -> refill());

        table = Widgets.accessible(new Table(body, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL),
                "roster.table", Texts.get("roster.table.name"));
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.setHeaderVisible(true);
        column(Texts.get("roster.column.name"), 110);
        column(Texts.get("roster.column.status"), 90);
        column(Texts.get("roster.column.address"), 130);
        table.addListener(SWT.DefaultSelection, event -> openSelected());
        table.addListener(SWT.Selection, event -> updateButton());

        message = Widgets.accessible(new Button(body, SWT.PUSH), "roster.message", Texts.get("roster.message.name"));
        message.setText(Texts.get("roster.message"));
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        message.addListener(SWT.Selection, event -> openSelected());

        summary = Widgets.accessible(new Label(body, SWT.NONE), "roster.summary", "Roster summary");
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));

        RosterClient client = roster;
        if (client != null) {
            entries = client.roster();
            stale = client.stale();
        }
        refill();
    }

    @Override
    public void disposeView() {
        dots.values().forEach(Image::dispose);
        dots.clear();
        if (staleDot != null) {
            staleDot.dispose();
            staleDot = null;
        }
        table = null;
        filter = null;
    }

    @Override
    public void rosterChanged(RosterEvent event) {
        RosterClient client = roster;
        boolean nowStale = client != null && client.stale();
        List<RosterEntry> snapshot = List.copyOf(event.roster());
        ui.execute(() -> {
            entries = snapshot;
            stale = nowStale;
            refill();
        });
    }

    private void column(String title, int width) {
        TableColumn column = new TableColumn(table, SWT.LEFT);
        column.setText(title);
        column.setWidth(width);
    }

    /** Rebuilds the rows from the entries and the filter, keeping the selection by name. */
    private void refill() {
        if (!Widgets.alive(table)) {
            return;
        }
        List<String> selected = selectedNames();
        String me = roster == null ? "" : roster.userName().orElse("");
        String wanted = filter.getText().strip().toLowerCase(Locale.ROOT);
        table.setRedraw(false);
        try {
            table.removeAll();
            int shown = 0;
            for (RosterEntry entry : entries) {
                if (!wanted.isEmpty() && !entry.name().toLowerCase(Locale.ROOT).contains(wanted)
                        && !entry.status().toLowerCase(Locale.ROOT).contains(wanted)) {
                    continue;
                }
                TableItem item = new TableItem(table, SWT.NONE);
                boolean self = entry.name().equalsIgnoreCase(me);
                item.setText(0, self ? Texts.get("roster.you", entry.name()) : entry.name());
                String presence = entry.presence().name().toLowerCase(Locale.ROOT);
                item.setText(1, entry.status().isBlank() ? presence : presence + " — " + entry.status());
                item.setText(2, entry.address().toString());
                item.setImage(0, stale ? staleDot : dots.get(entry.presence()));
                item.setData(entry.name());
                if (selected.contains(entry.name())) {
                    table.select(table.indexOf(item));
                }
                shown++;
            }
            summary.setText(stale ? Texts.get("roster.stale")
                    : entries.isEmpty() ? Texts.get("roster.empty")
                    : shown == entries.size() ? Texts.get("roster.online", entries.size())
                    : Texts.get("roster.filtered", shown, entries.size()));
        } finally {
            table.setRedraw(true);
        }
        updateButton();
        if (!firstPaintLogged && !entries.isEmpty()) {
            firstPaintLogged = true;
            // for the startup benchmark (docs/UI.md): logged once the rows are drawn
            int users = entries.size();
            ui.execute(() -> logger.info("first roster painted ({} users) after {} ms of JVM uptime",
                    users, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()));
        }
    }

    private List<String> selectedNames() {
        List<String> names = new ArrayList<>();
        for (TableItem item : table.getSelection()) {
            names.add((String) item.getData());
        }
        return names;
    }

    private void updateButton() {
        message.setEnabled(table.getSelectionCount() > 0);
    }

    private void openSelected() {
        ConversationOpener opener = conversations;
        List<String> names = selectedNames();
        if (opener == null || names.isEmpty()) {
            return;
        }
        if (names.size() == 1) {
            opener.open(names.get(0));
        } else {
            opener.openGroup(names);
        }
    }
}
