package peerchat.ui.chat.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import peerchat.api.chat.ChatService;
import peerchat.api.dto.Contact;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.api.roster.RosterClient;
import peerchat.api.roster.RosterListener;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;
import peerchat.ui.support.Widgets;

/**
 * Who is online: presence dot, name, status text and address; live updates from the roster client;
 * below them, greyed, the contacts who are offline ({@link ChatService#contacts()}: "offline — last
 * seen …"), read again on a worker thread whenever the roster changes; a filter; double-click opens a
 * conversation (also with an offline contact: messages wait for them); several selected → one group
 * conversation. Above the list, your own presence and status text, sent to the roster server on a
 * worker thread.
 */
@Component(service = { ViewContribution.class, RosterListener.class },
        property = ViewContribution.VIEW_ID + "=" + RosterView.ID)
public class RosterView implements ViewContribution, RosterListener {

    static final String ID = "peerchat.roster";
    private static final RGB GREEN = new RGB(0x2e, 0xa0, 0x43);
    private static final RGB AMBER = new RGB(0xe3, 0x9b, 0x14);
    private static final RGB RED = new RGB(0xd0, 0x3b, 0x2f);
    private static final RGB GREY = new RGB(0x9a, 0x9a, 0x9a);
    /** The presence choices, in the order of the combo's items. */
    private static final Presence[] PRESENCES = { Presence.ONLINE, Presence.AWAY, Presence.BUSY };

    /** The presence in the user's language, as the presence chooser shows it. */
    static String presenceText(Presence presence) {
        return switch (presence) {
            case ONLINE -> Texts.get("roster.presence.online");
            case AWAY -> Texts.get("roster.presence.away");
            case BUSY -> Texts.get("roster.presence.busy");
        };
    }

    @Reference
    private UiExecutor ui;
    /** False from deactivation on: queued UI tasks of this instance do nothing. */
    private volatile boolean active = true;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterClient roster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConversationOpener conversations;

    private volatile ChatService chat;

    /** Sends presence changes and reads the contacts: never on the UI thread. */
    private volatile ExecutorService worker;

    /** UI thread only, from here on. */
    private List<RosterEntry> entries = List.of();
    /** Everyone the chat core knows, online or not; the offline ones are listed after the roster. */
    private List<Contact> contacts = List.of();
    private final TranscriptFormat format = new TranscriptFormat(java.time.ZoneId.systemDefault());
    private Color offlineColor;
    private boolean stale;
    private Text filter;
    private Table table;
    private Label summary;
    private Button message;
    private Combo presence;
    private Text status;
    /** A presence change is on its way: the own entry does not overwrite the choice meanwhile. */
    private boolean presencePending;
    /** Why the last presence change failed, shown in the summary; null when it did not. */
    private String presenceProblem;
    private final Map<Presence, Image> dots = new EnumMap<>(Presence.class);
    private Image staleDot;
    private boolean firstPaintLogged;

    @Activate
    void activate() {
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-roster");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Deactivate
    void deactivate() {
        active = false;
        worker.shutdownNow();
    }

    /** The one way to the UI thread; tasks still queued after deactivation (hot swap) are dropped. */
    private void onUi(Runnable task) {
        ui.execute(() -> {
            if (active) {
                task.run();
            }
        });
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setChat(ChatService service) {
        chat = service;
        refreshContacts();
    }

    void unsetChat(ChatService service) {
        if (chat == service) {
            chat = null;
            onUi(() -> {
                contacts = List.of();
                refill();
            });
        }
    }

    /** Reads the contacts on the worker, then shows them. */
    private void refreshContacts() {
        ExecutorService contactsWorker = worker;
        if (contactsWorker == null) {
            return;
        }
        try {
            contactsWorker.execute(() -> {
                ChatService service = chat;
                if (service == null) {
                    return;
                }
                List<Contact> known;
                try {
                    known = List.copyOf(service.contacts());
                } catch (RuntimeException e) {
                    logger.warn("cannot read the contacts: {}", e.toString());
                    return;
                }
                onUi(() -> {
                    contacts = known;
                    refill();
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            logger.debug("roster view stopped: contacts not read");
        }
    }

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
        offlineColor = new Color(display, 0x8a, 0x8a, 0x8a);

        Composite body = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 4;
        layout.marginHeight = 4;
        body.setLayout(layout);

        Composite own = new Composite(body, SWT.NONE);
        own.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        GridLayout ownLayout = new GridLayout(3, false);
        ownLayout.marginWidth = 0;
        ownLayout.marginHeight = 0;
        own.setLayout(ownLayout);
        presence = Widgets.accessible(new Combo(own, SWT.READ_ONLY | SWT.DROP_DOWN), "roster.presence",
                Texts.get("roster.presence.name"));
        presence.setItems(Texts.get("roster.presence.online"), Texts.get("roster.presence.away"),
                Texts.get("roster.presence.busy"));
        presence.select(0);
        presence.addListener(SWT.Selection, event -> applyPresence());
        status = Widgets.accessible(new Text(own, SWT.SINGLE | SWT.BORDER), "roster.status", Texts.get("roster.status.name"));
        status.setMessage(Texts.get("roster.status"));
        status.setTextLimit(140);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        status.addListener(SWT.DefaultSelection, event -> applyPresence());
        Button set = Widgets.accessible(new Button(own, SWT.PUSH), "roster.setPresence", Texts.get("roster.setPresence.name"));
        set.setText(Texts.get("roster.setPresence"));
        set.addListener(SWT.Selection, event -> applyPresence());

        filter = Widgets.accessible(new Text(body, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL | SWT.BORDER),
                "roster.filter", Texts.get("roster.filter.name"));
        filter.setMessage(Texts.get("roster.filter"));
        filter.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        filter.addListener(SWT.Modify, event -> refill());

        table = Widgets.accessible(new Table(body, SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL),
                "roster.table", Texts.get("roster.table.name"));
        table.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        table.setHeaderVisible(true);
        column(Texts.get("roster.column.name"), 100);
        column(Texts.get("roster.column.status"), 165);
        column(Texts.get("roster.column.address"), 130);
        table.addListener(SWT.DefaultSelection, event -> openSelected());
        table.addListener(SWT.Selection, event -> updateButton());

        message = Widgets.accessible(new Button(body, SWT.PUSH), "roster.message", Texts.get("roster.message.name"));
        message.setText(Texts.get("roster.message"));
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        message.addListener(SWT.Selection, event -> openSelected());

        summary = Widgets.accessible(new Label(body, SWT.NONE), "roster.summary", Texts.get("roster.summary.name"));
        summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));

        RosterClient client = roster;
        if (client != null) {
            entries = client.roster();
            stale = client.stale();
        }
        refill();
        refreshContacts();
    }

    @Override
    public void disposeView() {
        dots.values().forEach(Image::dispose);
        dots.clear();
        if (staleDot != null) {
            staleDot.dispose();
            staleDot = null;
        }
        if (offlineColor != null) {
            offlineColor.dispose();
            offlineColor = null;
        }
        table = null;
        filter = null;
        presence = null;
        status = null;
        presencePending = false;
    }

    @Override
    public void rosterChanged(RosterEvent event) {
        RosterClient client = roster;
        boolean nowStale = client != null && client.stale();
        List<RosterEntry> snapshot = List.copyOf(event.roster());
        onUi(() -> {
            entries = snapshot;
            stale = nowStale;
            refill();
        });
        refreshContacts(); // who went offline, last seen
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
                String presence = presenceText(entry.presence());
                item.setText(1, entry.status().isBlank() ? presence : presence + " — " + entry.status());
                item.setText(2, entry.address().toString());
                item.setImage(0, stale ? staleDot : dots.get(entry.presence()));
                item.setData(entry.name());
                if (selected.contains(entry.name())) {
                    table.select(table.indexOf(item));
                }
                shown++;
            }
            List<Contact> offline = offline(me);
            for (Contact contact : offline) {
                if (!wanted.isEmpty() && !contact.name().toLowerCase(Locale.ROOT).contains(wanted)) {
                    continue;
                }
                TableItem item = new TableItem(table, SWT.NONE);
                item.setText(0, contact.name());
                item.setText(1, contact.lastSeen() == null ? Texts.get("roster.offline")
                        : Texts.get("roster.lastSeen", format.shortDateTime(contact.lastSeen(), java.time.Instant.now())));
                item.setImage(0, staleDot);
                item.setForeground(offlineColor);
                item.setData(contact.name());
                if (selected.contains(contact.name())) {
                    table.select(table.indexOf(item));
                }
                shown++;
            }
            int all = entries.size() + offline.size();
            showOwnPresence(me);
            summary.setText(presenceProblem != null ? presenceProblem
                    : stale ? Texts.get("roster.stale")
                    : all == 0 ? Texts.get("roster.empty")
                    : shown < all ? Texts.get("roster.filtered", shown, all)
                    : offline.isEmpty() ? Texts.get("roster.online", entries.size())
                    : Texts.get("roster.withOffline", entries.size(), offline.size()));
        } finally {
            table.setRedraw(true);
        }
        updateButton();
        if (!firstPaintLogged && !entries.isEmpty()) {
            firstPaintLogged = true;
            // for the startup benchmark (docs/UI.md): logged once the rows are drawn
            int users = entries.size();
            onUi(() -> logger.info("first roster painted ({} users) after {} ms of JVM uptime",
                    users, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()));
        }
    }

    /** The contacts not in the roster now (nor the user), by name as the chat core lists them. */
    private List<Contact> offline(String me) {
        java.util.Set<String> online = new java.util.HashSet<>();
        for (RosterEntry entry : entries) {
            online.add(entry.name().toLowerCase(Locale.ROOT));
        }
        List<Contact> offline = new ArrayList<>();
        for (Contact contact : contacts) {
            String name = contact.name().toLowerCase(Locale.ROOT);
            if (!online.contains(name) && !contact.name().equalsIgnoreCase(me)) {
                offline.add(contact);
            }
        }
        return offline;
    }

    /** UI thread: the own entry's presence and status in the controls, unless being edited. */
    private void showOwnPresence(String me) {
        if (presencePending || me.isEmpty()) {
            return;
        }
        for (RosterEntry entry : entries) {
            if (entry.name().equalsIgnoreCase(me)) {
                if (!presence.isFocusControl()) {
                    presence.select(List.of(PRESENCES).indexOf(entry.presence()));
                }
                if (!status.isFocusControl()) {
                    status.setText(entry.status());
                }
            }
        }
    }

    /** UI thread: sends the chosen presence and status text; the outcome comes back through the roster. */
    private void applyPresence() {
        RosterClient client = roster;
        if (client == null || presence.getSelectionIndex() < 0) {
            return;
        }
        Presence chosen = PRESENCES[presence.getSelectionIndex()];
        String text = status.getText().strip();
        presencePending = true;
        worker.execute(() -> {
            String problem = null;
            try {
                client.setPresence(chosen, text).toCompletableFuture().join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                problem = Texts.get("roster.presence.failed", String.valueOf(cause.getMessage()));
                logger.info("presence {} not set: {}", chosen, cause.getMessage());
            }
            String shown = problem;
            onUi(() -> {
                presencePending = false;
                presenceProblem = shown;
                if (Widgets.alive(table)) {
                    refill();
                }
            });
        });
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
