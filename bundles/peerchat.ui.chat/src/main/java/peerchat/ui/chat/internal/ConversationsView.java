package peerchat.ui.chat.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabFolder2Adapter;
import org.eclipse.swt.custom.CTabFolderEvent;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.custom.StyleRange;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Menu;
import org.eclipse.swt.widgets.MenuItem;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.ToolTip;
import org.eclipse.swt.widgets.Tray;
import org.eclipse.swt.widgets.TrayItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import peerchat.api.chat.ChatListener;
import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;
import peerchat.ui.support.Widgets;

/**
 * One tab per peer (or group): the transcript with sender, time and delivery state, an input where
 * Enter sends and Shift+Enter starts a new line; unread counts on the tabs. A tab shows a bounded
 * window of the chat core's conversation ({@link Conversation}): the newest page when it opens, older
 * pages when the user scrolls to the top, the page around a search result; {@link ChatListener}
 * changes update the one line they concern ({@link Transcript}). Above the tabs, a search over all
 * conversations. Sending, history and search run on a worker thread, never on the UI thread.
 */
@Component(service = { ViewContribution.class, ChatListener.class, ConversationOpener.class },
        property = ViewContribution.VIEW_ID + "=" + ConversationsView.ID)
public class ConversationsView implements ViewContribution, ChatListener, ConversationOpener {

    static final String ID = "peerchat.conversations";
    /** Search results asked for at once. */
    static final int SEARCH_LIMIT = 50;
    static final String OPEN_FILE = "open-conversations.txt";
    private static final RGB BLUE = new RGB(0x2a, 0x6f, 0xdb);
    /**
     * Test seam: a {@code java.util.function.Consumer<String>} set as this data of a transcript gets
     * the clicked link instead of the desktop's browser ({@link Program#launch}).
     */
    static final String LINK_HANDLER = "peerchat.linkHandler";

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference
    private UiExecutor ui;
    /** False from deactivation on: queued UI tasks of this instance do nothing. */
    private volatile boolean active = true;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chat;

    /** Completion of plugin /commands in the inputs; optional, it may come and go. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CommandCompletion completion;

    private ExecutorService worker;
    private final TranscriptFormat format = new TranscriptFormat(ZoneId.systemDefault());
    /** When a live change is seen (the failure time of a message); tests set another. */
    Clock clock = Clock.systemDefaultZone();

    /** UI thread only, from here on. The models outlive the widgets (a view can be rebuilt). */
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Map<String, Tab> tabs = new LinkedHashMap<>();
    /** The peers whose tabs are open, in order; survives a rebuild of the view and a restart. */
    private final Set<String> open = new LinkedHashSet<>();
    private Path openFile;
    /** Conversations whose older page (or newest page) is being read: one request at a time each. */
    private final Set<String> loading = new HashSet<>();
    private Text search;
    private Table results;
    private Label resultsSummary;
    /** Counts the searches: results of an older one that come late are dropped. */
    private int searches;
    private Composite stack;
    private StackLayout stackLayout;
    private Label hint;
    private CTabFolder folder;
    private Color dim;
    private Color own;
    private Color failed;
    private TrayItem trayItem;
    private ToolTip balloon;
    private org.eclipse.swt.graphics.Image trayIcon;

    /** The widgets of one open tab; {@code group} lists the recipients of a group tab, else null. */
    private record Tab(String key, CTabItem item, Transcript lines, Text input, List<String> group) {
        StyledText transcript() {
            return lines.widget();
        }
    }

    @Activate
    void activate(BundleContext context) {
        File file = context.getDataFile(OPEN_FILE);
        start(file == null ? null : file.toPath());
    }

    /** The worker, and the conversations open at the last stop read from that file (null: none). */
    void start(Path file) {
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-chat");
            thread.setDaemon(true);
            return thread;
        });
        openFile = file;
        worker.execute(() -> {
            List<String> remembered = readOpen();
            onUi(() -> {
                open.addAll(remembered);
                for (String peer : remembered) {
                    tab(peer, null, false);
                }
            });
        });
    }

    /** Worker: the conversations open at the last stop, one name a line. */
    private List<String> readOpen() {
        if (openFile == null || !Files.isRegularFile(openFile)) {
            return List.of();
        }
        try {
            return Files.readAllLines(openFile, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(line -> !line.isEmpty()).distinct().toList();
        } catch (IOException e) {
            logger.warn("cannot read the open conversations from {}: {}", openFile, e.toString());
            return List.of();
        }
    }

    /** UI thread: remembers the open tabs; the worker writes them. */
    private void saveOpen() {
        List<String> peers = List.copyOf(open);
        Path file = openFile;
        if (file == null) {
            return;
        }
        background(() -> {
            try {
                Files.write(file, peers, StandardCharsets.UTF_8);
            } catch (IOException e) {
                logger.warn("cannot save the open conversations to {}: {}", file, e.toString());
            }
        });
    }

    @Deactivate
    void deactivate() {
        active = false;
        worker.shutdownNow();
    }

    /**
     * The one way to the UI thread. A task still queued when the view's bundle stops (hot swap) is
     * dropped: run later it would load classes from a bundle whose class loader is gone
     * ({@code NoClassDefFoundError} in the workbench's UI task).
     */
    private void onUi(Runnable task) {
        ui.execute(() -> {
            if (active) {
                task.run();
            }
        });
    }

    /**
     * Hands work to the worker; a UI task still queued when the view's bundle stops (hot swap) finds
     * the worker shut down, and its work is dropped with the view instead of failing the UI task.
     */
    private void background(Runnable work) {
        try {
            worker.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            logger.debug("conversations view stopped: background work dropped");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return Texts.get("conversations.title");
    }

    @Override
    public ViewArea area() {
        return ViewArea.CENTER;
    }

    @Override
    public ImageData icon() {
        return Widgets.dotData(BLUE);
    }

    @Override
    public void createView(Composite parent) {
        var display = parent.getDisplay();
        dim = new Color(display, 0x80, 0x80, 0x80);
        own = new Color(display, 0x2a, 0x6f, 0xdb);
        failed = new Color(display, 0xc0, 0x20, 0x20);
        Composite root = new Composite(parent, SWT.NONE);
        GridLayout rootLayout = new GridLayout(1, false);
        rootLayout.marginWidth = 0;
        rootLayout.marginHeight = 0;
        rootLayout.verticalSpacing = 2;
        root.setLayout(rootLayout);
        createSearch(root);
        stack = new Composite(root, SWT.NONE);
        stack.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        stackLayout = new StackLayout();
        stack.setLayout(stackLayout);
        hint = Widgets.name(new Label(stack, SWT.CENTER | SWT.WRAP), "conversations.hint");
        hint.setText(Texts.get("conversations.hint"));
        folder = Widgets.accessible(new CTabFolder(stack, SWT.BORDER | SWT.CLOSE | SWT.FLAT), "conversations.tabs",
                Texts.get("conversations.tabs.name"));
        folder.addListener(SWT.Selection, event -> selected());
        folder.addListener(SWT.FocusIn, event -> selected());
        folder.getShell().addListener(SWT.Activate, shellActivated);
        stackLayout.topControl = hint;
        folder.addCTabFolder2Listener(new CTabFolder2Adapter() {
            @Override
            public void close(CTabFolderEvent event) {
                // the user closed a tab: forget it (tabs disposed with the view stay remembered)
                tabs.values().stream().filter(tab -> tab.item() == event.item).findFirst().ifPresent(tab -> {
                    if (open.remove(tab.key())) {
                        saveOpen();
                    }
                    Conversation conversation = conversations.get(tab.key());
                    if (conversation != null) {
                        conversation.forget(); // the core keeps it; a new tab reads its newest page again
                    }
                });
            }
        });
        // conversations that had tabs before (view rebuilt, or remembered from the last run) get them again
        for (String peer : List.copyOf(open)) {
            tab(peer, null, false);
        }
    }

    /**
     * Above the tabs: the search field (Enter searches all conversations, the cancel icon or Escape
     * closes the results) and the results, shown while there are any; selecting one opens its
     * conversation at that message.
     */
    private void createSearch(Composite root) {
        search = Widgets.accessible(new Text(root, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL | SWT.BORDER),
                "conversations.search", Texts.get("search.name"));
        search.setMessage(Texts.get("search.hint"));
        search.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        search.addListener(SWT.DefaultSelection, event -> {
            if (event.detail == SWT.ICON_CANCEL) {
                search.setText("");
                showResults(null, List.of());
            } else {
                runSearch(search.getText());
            }
        });
        search.addListener(SWT.Traverse, event -> {
            if (event.detail == SWT.TRAVERSE_ESCAPE && results.getVisible()) {
                event.doit = false;
                showResults(null, List.of());
            }
        });
        resultsSummary = Widgets.accessible(new Label(root, SWT.NONE), "conversations.results.summary",
                Texts.get("search.summary.name"));
        resultsSummary.setLayoutData(hidden(new GridData(SWT.FILL, SWT.CENTER, true, false)));
        resultsSummary.setVisible(false);
        results = Widgets.accessible(new Table(root, SWT.SINGLE | SWT.FULL_SELECTION | SWT.BORDER | SWT.V_SCROLL),
                "conversations.results", Texts.get("search.results.name"));
        GridData resultsData = hidden(new GridData(SWT.FILL, SWT.FILL, true, false));
        resultsData.heightHint = results.getItemHeight() * 6;
        results.setLayoutData(resultsData);
        results.setVisible(false);
        results.setHeaderVisible(true);
        column(results, Texts.get("search.column.time"), 140);
        column(results, Texts.get("search.column.peer"), 90);
        column(results, Texts.get("search.column.text"), 420);
        results.addListener(SWT.Selection, event -> openResult());
        results.addListener(SWT.DefaultSelection, event -> openResult());
    }

    private static void column(Table table, String title, int width) {
        TableColumn column = new TableColumn(table, SWT.LEFT);
        column.setText(title);
        column.setWidth(width);
    }

    private static GridData hidden(GridData data) {
        data.exclude = true;
        return data;
    }

    /** UI thread: the search runs on the worker; its results come back unless a newer search began. */
    private void runSearch(String text) {
        String wanted = text.strip();
        int number = ++searches;
        if (wanted.isEmpty()) {
            showResults(null, List.of());
            return;
        }
        resultsSummary.setText(Texts.get("search.running", wanted));
        show(resultsSummary, true);
        background(() -> {
            ChatService service = chat;
            List<ChatMessage> found;
            String problem = null;
            if (service == null) {
                found = List.of();
                problem = Texts.get("conversation.noChat");
            } else {
                try {
                    found = service.search(wanted, null, SEARCH_LIMIT);
                } catch (RuntimeException e) {
                    logger.warn("search for {} failed: {}", wanted, e.toString());
                    found = List.of();
                    problem = String.valueOf(e.getMessage());
                }
            }
            List<ChatMessage> shown = found;
            String failure = problem;
            onUi(() -> {
                if (number == searches && Widgets.alive(results)) {
                    showResults(failure != null ? Texts.get("search.failed", failure) : null, shown);
                    if (failure == null) {
                        resultsSummary.setText(shown.isEmpty() ? Texts.get("search.none", wanted)
                                : Texts.get("search.found", shown.size(), wanted));
                    }
                }
            });
        });
    }

    /** UI thread: fills the results table (newest first) or, with no summary and no results, closes it. */
    private void showResults(String summary, List<ChatMessage> found) {
        if (!Widgets.alive(results)) {
            return;
        }
        results.setRedraw(false);
        try {
            results.removeAll();
            for (ChatMessage message : found) {
                TableItem item = new TableItem(results, SWT.NONE);
                item.setText(0, format.dateTime(message.time()));
                item.setText(1, Conversation.peerOf(message));
                item.setText(2, message.outgoing() ? message.from() + ": " + message.text() : message.text());
                item.setData(message);
            }
        } finally {
            results.setRedraw(true);
        }
        if (summary != null) {
            resultsSummary.setText(summary);
        }
        boolean open = summary != null || !found.isEmpty();
        show(resultsSummary, open);
        show(results, !found.isEmpty());
    }

    private static void show(org.eclipse.swt.widgets.Control control, boolean visible) {
        if (control.getVisible() == visible) {
            return;
        }
        control.setVisible(visible);
        ((GridData) control.getLayoutData()).exclude = !visible;
        control.getParent().layout(true);
    }

    /** UI thread: the selected result's conversation, at that message. */
    private void openResult() {
        if (!Widgets.alive(results) || results.getSelectionCount() == 0
                || !(results.getSelection()[0].getData() instanceof ChatMessage message)) {
            return;
        }
        openAt(Conversation.peerOf(message), message.id());
    }

    /** UI thread: opens (or selects) the tab with {@code peer} and shows message {@code id} in it. */
    void openAt(String peer, long id) {
        Tab tab = tabs.get(peer);
        if (tab == null) {
            select(tab(peer, null, true, id));
            return;
        }
        select(tab);
        if (conversations.get(peer).holds(id)) {
            tab.lines().reveal(id);
        } else {
            loadAround(peer, id);
        }
    }

    private final org.eclipse.swt.widgets.Listener shellActivated = event -> {
        selected();
        var shell = (org.eclipse.swt.widgets.Shell) event.widget;
        shell.setText(shell.getText().replaceFirst("^\\(\\d+\\) ", ""));
    };

    @Override
    public void disposeView() {
        if (Widgets.alive(folder)) {
            folder.getShell().removeListener(SWT.Activate, shellActivated);
        }
        tabs.clear();
        if (Widgets.alive(trayItem)) {
            trayItem.dispose();
        }
        if (balloon != null && !balloon.isDisposed()) {
            balloon.dispose();
        }
        if (trayIcon != null) {
            trayIcon.dispose();
            trayIcon = null;
        }
        for (Color color : new Color[] { dim, own, failed }) {
            if (color != null) {
                color.dispose();
            }
        }
        folder = null;
        search = null;
        results = null;
        resultsSummary = null;
        loading.clear();
    }

    // ---- from other threads ----

    @Override
    public void messageChanged(ChatMessage message) {
        onUi(() -> received(message));
    }

    @Override
    public void open(String peer) {
        onUi(() -> select(tab(peer, null, true)));
    }

    @Override
    public void openGroup(List<String> peers) {
        List<String> group = List.copyOf(peers);
        onUi(() -> select(tab("group:" + String.join(",", group), group, true)));
    }

    // ---- UI thread ----

    private void received(ChatMessage message) {
        String peer = Conversation.peerOf(message);
        Conversation conversation = conversations.computeIfAbsent(peer, Conversation::new);
        boolean fresh = conversation.apply(message, clock.instant());
        Tab tab = tabs.get(peer);
        if (tab == null && !message.outgoing() && Widgets.alive(folder)) {
            tab = tab(peer, null, false);
        }
        boolean seen = tab != null && isSelected(tab) && folder.getShell() == folder.getDisplay().getActiveShell();
        if (fresh && !message.outgoing() && !seen) {
            conversation.markUnread();
            notifyUser(message);
        }
        if (tab != null) {
            if (fresh && message.outgoing() && conversation.hasNewer()) {
                // the user sent while looking at older messages: back to the newest, where it is
                loadLatest(peer, true);
            }
            render(tab);
        }
    }

    /**
     * When the window is not the active one: a balloon on the system tray where there is one (not on
     * a bare X server), and the window's title shows the unread count until it is activated again.
     */
    private void notifyUser(ChatMessage message) {
        if (!Widgets.alive(folder) || folder.getDisplay().getActiveShell() == folder.getShell()) {
            return;
        }
        var shell = folder.getShell();
        int unread = conversations.values().stream().mapToInt(Conversation::unread).sum();
        String title = shell.getText().replaceFirst("^\\(\\d+\\) ", "");
        shell.setText("(" + unread + ") " + title);
        Tray tray = folder.getDisplay().getSystemTray();
        if (tray == null) {
            return;
        }
        if (!Widgets.alive(trayItem)) {
            trayItem = new TrayItem(tray, SWT.NONE);
            trayIcon = Widgets.dot(folder.getDisplay(), BLUE);
            trayItem.setImage(trayIcon);
            trayItem.setToolTipText(Texts.get("tray.tooltip"));
            balloon = new ToolTip(shell, SWT.BALLOON | SWT.ICON_INFORMATION);
            trayItem.setToolTip(balloon);
            trayItem.addListener(SWT.Selection, event -> shell.forceActive());
        }
        balloon.setText(message.from());
        balloon.setMessage(message.text().length() > 200 ? message.text().substring(0, 200) + "…" : message.text());
        balloon.setVisible(true);
    }

    private boolean isSelected(Tab tab) {
        return Widgets.alive(folder) && folder.getSelection() == tab.item();
    }

    private Tab tab(String key, List<String> group, boolean focus) {
        return tab(key, group, focus, null);
    }

    /**
     * The tab of this conversation, created if needed (then the newest page of its history is read, or
     * the page that ends with message {@code around}). Null without widgets.
     */
    private Tab tab(String key, List<String> group, boolean focus, Long around) {
        if (!Widgets.alive(folder)) {
            return null;
        }
        Tab existing = tabs.get(key);
        if (existing != null) {
            return existing;
        }
        conversations.computeIfAbsent(key, Conversation::new);
        Composite body = new Composite(folder, SWT.NONE);
        GridLayout layout = new GridLayout(2, false);
        layout.marginWidth = 4;
        layout.marginHeight = 4;
        body.setLayout(layout);
        String who = group == null ? key : String.join(", ", group);
        StyledText transcript = Widgets.accessible(
                new StyledText(body, SWT.READ_ONLY | SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER),
                "conversation.transcript." + key, Texts.get("conversation.transcript.name", who));
        transcript.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        transcript.setMargins(6, 4, 6, 4);
        transcript.setLineSpacing(2);
        transcript.addListener(SWT.MouseUp, event -> openLink(transcript, event));
        Transcript lines = new Transcript(transcript);
        // scrolling by bar, wheel or keys: older messages at the top, the newest again at the end
        transcript.getVerticalBar().addListener(SWT.Selection, event -> scrolled(key));
        transcript.addListener(SWT.MouseWheel, event -> scrolled(key));
        transcript.addListener(SWT.KeyUp, event -> scrolled(key));
        transcript.addListener(SWT.Resize, event -> {
            if (lines.followsEnd()) {
                lines.scrollToEnd();
            }
        });
        transcript.addListener(SWT.MouseMove, event -> showTip(key, transcript, event));
        Menu menu = new Menu(transcript);
        MenuItem retry = new MenuItem(menu, SWT.PUSH);
        retry.setText(Texts.get("conversation.retry"));
        retry.setData(Widgets.WIDGET_ID, "conversation.retry." + key);
        menu.addListener(SWT.Show, event -> retry.setEnabled(!failedTexts(key).isEmpty()));
        retry.addListener(SWT.Selection, event -> {
            Tab current = tabs.get(key);
            if (current != null) {
                for (String text : failedTexts(key)) {
                    sendText(current, text);
                }
            }
        });
        transcript.setMenu(menu);
        Text input = Widgets.accessible(new Text(body, SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER),
                "conversation.input." + key, Texts.get("conversation.input.name", who));
        GridData inputData = new GridData(SWT.FILL, SWT.FILL, true, false);
        inputData.heightHint = input.getLineHeight() * 3;
        input.setLayoutData(inputData);
        input.setMessage(Texts.get("conversation.input.hint", who));
        Button send = Widgets.accessible(new Button(body, SWT.PUSH), "conversation.send." + key, Texts.get("conversation.send.name"));
        send.setText(Texts.get("conversation.send"));
        send.setLayoutData(new GridData(SWT.FILL, SWT.FILL, false, false));

        CTabItem item = new CTabItem(folder, SWT.CLOSE);
        item.setControl(body);
        item.setData(Widgets.WIDGET_ID, "conversation.tab." + key);
        Tab tab = new Tab(key, item, lines, input, group);
        tabs.put(key, tab);
        item.addListener(SWT.Dispose, event -> tabs.remove(key));
        if (group == null && open.add(key)) {
            saveOpen();
        }

        input.addListener(SWT.KeyDown, event -> {
            boolean enter = event.keyCode == SWT.CR || event.keyCode == SWT.KEYPAD_CR;
            if (enter && (event.stateMask & SWT.SHIFT) == 0) {
                event.doit = false;
                send(tab);
            }
        });
        // a multi-line Text would otherwise take Tab as a character: keep keyboard navigation
        input.addListener(SWT.Traverse, event -> {
            if (event.detail == SWT.TRAVERSE_TAB_NEXT || event.detail == SWT.TRAVERSE_TAB_PREVIOUS) {
                event.doit = true;
            }
        });
        send.addListener(SWT.Selection, event -> send(tab));
        CommandCompletion.attach(input, () -> completion);

        stackLayout.topControl = folder;
        stack.layout();
        render(tab);
        if (group == null && (around == null || !conversations.get(key).holds(around))) {
            if (around == null) {
                loadLatest(key, false);
            } else {
                loadAround(key, around);
            }
        }
        if (focus) {
            select(tab);
        } else if (folder.getSelection() == null) {
            folder.setSelection(item);
        }
        return tab;
    }

    private void select(Tab tab) {
        if (tab == null || !Widgets.alive(folder)) {
            return;
        }
        folder.setSelection(tab.item());
        tab.input().setFocus();
        selected();
    }

    /** The selected tab's messages are read. */
    private void selected() {
        if (!Widgets.alive(folder) || folder.getSelection() == null) {
            return;
        }
        for (Tab tab : tabs.values()) {
            if (tab.item() == folder.getSelection()) {
                Conversation conversation = conversations.get(tab.key());
                if (conversation != null && conversation.unread() > 0) {
                    conversation.markRead();
                    tab.item().setText(conversation.tabTitle());
                }
            }
        }
    }

    /**
     * Reads the newest page of the conversation and shows it (replacing what is held); with
     * {@code toEnd} the transcript then follows its end again.
     */
    private void loadLatest(String peer, boolean toEnd) {
        if (!loading.add(peer)) {
            return;
        }
        background(() -> {
            List<ChatMessage> page = read(peer, service -> service.history(peer, Conversation.PAGE));
            onUi(() -> {
                loading.remove(peer);
                if (page == null) {
                    return;
                }
                Conversation conversation = conversations.computeIfAbsent(peer, Conversation::new);
                conversation.latest(page, Conversation.PAGE);
                Tab tab = tabs.get(peer);
                if (tab != null) {
                    if (toEnd) {
                        tab.lines().followEnd(true);
                    }
                    render(tab);
                }
            });
        });
    }

    /** The user scrolled to the top: the page before the oldest message held; the line in view stays. */
    private void loadOlder(String peer) {
        Conversation held = conversations.get(peer);
        if (held == null || !held.hasOlder() || !loading.add(peer)) {
            return;
        }
        long before = held.oldestId();
        background(() -> {
            List<ChatMessage> page = read(peer, service -> service.history(peer, before, Conversation.PAGE));
            onUi(() -> {
                loading.remove(peer);
                Conversation conversation = conversations.get(peer);
                Tab tab = tabs.get(peer);
                if (page == null || conversation == null || conversation.oldestId() != before) {
                    return; // the window moved meanwhile
                }
                conversation.older(page, Conversation.PAGE);
                if (tab != null) {
                    render(tab);
                }
            });
        });
    }

    /** A search result: the page that ends with that message, shown with it selected. */
    private void loadAround(String peer, long id) {
        loading.add(peer);
        background(() -> {
            List<ChatMessage> page = read(peer, service -> service.history(peer, id + 1, Conversation.PAGE));
            onUi(() -> {
                loading.remove(peer);
                Tab tab = tabs.get(peer);
                if (page == null || tab == null) {
                    return;
                }
                Conversation conversation = conversations.computeIfAbsent(peer, Conversation::new);
                conversation.around(page, Conversation.PAGE);
                tab.lines().followEnd(false);
                render(tab);
                tab.lines().reveal(id);
            });
        });
    }

    /** Worker: one read from the chat core; null (logged) when it is not there or fails. */
    private List<ChatMessage> read(String peer, java.util.function.Function<ChatService, List<ChatMessage>> read) {
        ChatService service = chat;
        if (service == null) {
            return null;
        }
        try {
            return read.apply(service);
        } catch (RuntimeException e) {
            logger.warn("cannot read the history with {}: {}", peer, e.toString());
            return null;
        }
    }

    /** UI thread, after the user scrolled a transcript. */
    private void scrolled(String key) {
        Tab tab = tabs.get(key);
        Conversation conversation = conversations.get(key);
        if (tab == null || conversation == null || !Widgets.alive(tab.transcript()) || tab.group() != null) {
            return;
        }
        tab.lines().scrolled();
        if (tab.lines().atTop() && conversation.hasOlder()) {
            loadOlder(key);
        } else if (tab.lines().atEnd() && conversation.hasNewer()) {
            loadLatest(key, false);
        }
    }

    /** The tool tip over an outgoing message: what its delivery state means. */
    private void showTip(String key, StyledText transcript, Event event) {
        Tab tab = tabs.get(key);
        if (tab == null) {
            return;
        }
        int offset = transcript.getOffsetAtPoint(new org.eclipse.swt.graphics.Point(event.x, event.y));
        Conversation.Entry entry = offset < 0 ? null : tab.lines().entryAt(offset);
        String tip = entry == null || entry.message() == null ? null
                : TranscriptFormat.tip(entry.message(), Conversation.peerOf(entry.message()));
        if (!java.util.Objects.equals(tip, transcript.getToolTipText())) {
            transcript.setToolTipText(tip);
        }
    }

    /** The texts of outgoing messages that failed and were not sent again successfully since. */
    private List<String> failedTexts(String key) {
        Conversation conversation = conversations.get(key);
        List<String> failedTexts = new ArrayList<>();
        if (conversation == null) {
            return failedTexts;
        }
        for (ChatMessage message : conversation.messages()) {
            if (message.outgoing() && message.status() == DeliveryStatus.FAILED) {
                failedTexts.add(message.text());
            } else if (message.outgoing() && message.status() == DeliveryStatus.DELIVERED) {
                failedTexts.remove(message.text());
            }
        }
        return failedTexts;
    }

    private void send(Tab tab) {
        String text = tab.input().getText();
        if (text.isBlank()) {
            return;
        }
        tab.input().setText("");
        sendText(tab, text);
    }

    private void sendText(Tab tab, String text) {
        List<String> recipients = tab.group() == null ? List.of(tab.key()) : tab.group();
        Conversation conversation = conversations.get(tab.key());
        if (tab.group() != null) {
            conversation.note(Texts.get("conversation.groupSent", String.join(", ", recipients), text));
            render(tab);
        }
        background(() -> {
            ChatService service = chat;
            List<String> outcome = new ArrayList<>();
            for (String recipient : recipients) {
                if (service == null) {
                    outcome.add(Texts.get("conversation.notSent", recipient, Texts.get("conversation.noChat")));
                    continue;
                }
                try {
                    CompletionStage<DeliveryResult> delivery = service.send(recipient, text);
                    if (tab.group() != null) {
                        delivery.whenComplete((result, failure) -> onUi(() -> groupOutcome(tab, recipient,
                                failure == null ? result : new DeliveryResult(DeliveryStatus.FAILED, String.valueOf(failure)))));
                    }
                } catch (RuntimeException e) {
                    // unknown user, not logged in: the chat refused the message before sending
                    outcome.add(Texts.get("conversation.notSent", recipient, e.getMessage()));
                }
            }
            if (!outcome.isEmpty()) {
                onUi(() -> {
                    outcome.forEach(conversation::note);
                    if (Widgets.alive(tab.item())) {
                        render(tab);
                        if (tab.input().getText().isEmpty()) {
                            tab.input().setText(text);
                        }
                    }
                });
            }
        });
    }

    private void groupOutcome(Tab tab, String recipient, DeliveryResult result) {
        Conversation conversation = conversations.get(tab.key());
        String mark = switch (result.status()) {
            case DELIVERED -> Texts.get("mark.delivered");
            case SENT -> Texts.get("mark.sent");
            case SENDING -> Texts.get("mark.sending");
            case QUEUED -> Texts.get("mark.queued");
            case FAILED -> result.reason() == null || result.reason().isBlank() ? Texts.get("mark.failed")
                    : Texts.get("mark.failedBecause", result.reason());
        };
        conversation.note(Texts.get("conversation.groupOutcome", recipient, mark));
        if (Widgets.alive(tab.item())) {
            render(tab);
        }
    }

    /** Brings the transcript up to the conversation's entries (only what changed) and the tab's title. */
    private void render(Tab tab) {
        if (!Widgets.alive(tab.transcript())) {
            return;
        }
        Conversation conversation = conversations.get(tab.key());
        tab.lines().sync(conversation.entries(), this::render);
        tab.item().setText(tab.group() == null ? conversation.tabTitle() : Texts.get("conversation.group", String.join(", ", tab.group())));
    }

    /** One line: time (dim), sender (own in blue), text with links, delivery mark; or a note (dim, italic). */
    private Transcript.Rendered render(Conversation.Entry entry) {
        StringBuilder text = new StringBuilder();
        List<StyleRange> styles = new ArrayList<>();
        if (entry.message() == null) {
            appendNote(text, styles, entry.note());
            return new Transcript.Rendered(text.toString(), styles);
        }
        ChatMessage message = entry.message();
        int start = text.length();
        text.append(format.time(message)).append("  ");
        styles.add(range(start, text.length() - start, dim, SWT.NORMAL));
        start = text.length();
        text.append(message.from()).append(": ");
        styles.add(range(start, text.length() - start, message.outgoing() ? own : null, SWT.BOLD));
        int body = text.length();
        text.append(message.text());
        int[] urls = TranscriptFormat.urls(message.text());
        for (int i = 0; i < urls.length; i += 2) {
            StyleRange link = range(body + urls[i], urls[i + 1] - urls[i], own, SWT.NORMAL);
            link.underline = true;
            link.underlineStyle = SWT.UNDERLINE_LINK;
            styles.add(link);
        }
        String mark = format.mark(message, entry.failedAt());
        if (!mark.isEmpty()) {
            text.append("   ");
            start = text.length();
            text.append(mark);
            styles.add(range(start, mark.length(), message.status() == DeliveryStatus.FAILED ? failed : dim, SWT.ITALIC));
        }
        text.append('\n');
        return new Transcript.Rendered(text.toString(), styles);
    }

    private void appendNote(StringBuilder text, List<StyleRange> styles, String note) {
        int start = text.length();
        text.append(note).append('\n');
        styles.add(range(start, note.length(), dim, SWT.ITALIC));
    }

    private static StyleRange range(int start, int length, Color foreground, int fontStyle) {
        StyleRange range = new StyleRange(start, length, foreground, null);
        range.fontStyle = fontStyle;
        return range;
    }

    private void openLink(StyledText transcript, Event event) {
        if (event.button != 1) {
            return;
        }
        int offset = transcript.getOffsetAtPoint(new org.eclipse.swt.graphics.Point(event.x, event.y));
        if (offset < 0) {
            return;
        }
        StyleRange style = transcript.getStyleRangeAtOffset(offset);
        if (style == null || !style.underline) {
            return;
        }
        String line = transcript.getLine(transcript.getLineAtOffset(offset));
        int lineStart = transcript.getOffsetAtLine(transcript.getLineAtOffset(offset));
        int[] urls = TranscriptFormat.urls(line);
        for (int i = 0; i < urls.length; i += 2) {
            if (offset - lineStart >= urls[i] && offset - lineStart < urls[i + 1]) {
                String url = line.substring(urls[i], urls[i + 1]);
                if (transcript.getData(LINK_HANDLER) instanceof java.util.function.Consumer<?> handler) {
                    @SuppressWarnings("unchecked")
                    java.util.function.Consumer<String> links = (java.util.function.Consumer<String>) handler;
                    links.accept(url);
                } else {
                    // the desktop's browser starts as its own process; SWT does not wait for it
                    Program.launch(url);
                }
            }
        }
    }
}
