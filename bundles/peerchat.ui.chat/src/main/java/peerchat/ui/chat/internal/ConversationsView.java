package peerchat.ui.chat.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Enter sends and Shift+Enter starts a new line; unread counts on the tabs; older messages from the
 * history when a tab opens. Sending and history run on a worker thread, never on the UI thread.
 */
@Component(service = { ViewContribution.class, ChatListener.class, ConversationOpener.class },
        property = ViewContribution.VIEW_ID + "=" + ConversationsView.ID)
public class ConversationsView implements ViewContribution, ChatListener, ConversationOpener {

    static final String ID = "peerchat.conversations";
    static final int HISTORY = 200;
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chat;

    /** Completion of plugin /commands in the inputs; optional, it may come and go. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CommandCompletion completion;

    private ExecutorService worker;
    private final TranscriptFormat format = new TranscriptFormat(ZoneId.systemDefault());

    /** UI thread only, from here on. The models outlive the widgets (a view can be rebuilt). */
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Map<String, Tab> tabs = new LinkedHashMap<>();
    /** The peers whose tabs are open, in order; survives a rebuild of the view and a restart. */
    private final Set<String> open = new LinkedHashSet<>();
    private Path openFile;
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
    private record Tab(String key, CTabItem item, StyledText transcript, Text input, List<String> group) {
    }

    @Activate
    void activate(BundleContext context) {
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-chat");
            thread.setDaemon(true);
            return thread;
        });
        File file = context.getDataFile(OPEN_FILE);
        openFile = file == null ? null : file.toPath();
        worker.execute(() -> {
            List<String> remembered = readOpen();
            ui.execute(() -> {
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
        worker.shutdownNow();
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
        stack = new Composite(parent, SWT.NONE);
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
                });
            }
        });
        // conversations that had tabs before (view rebuilt, or remembered from the last run) get them again
        for (String peer : List.copyOf(open)) {
            tab(peer, null, false);
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
    }

    // ---- from other threads ----

    @Override
    public void messageChanged(ChatMessage message) {
        ui.execute(() -> received(message));
    }

    @Override
    public void open(String peer) {
        ui.execute(() -> select(tab(peer, null, true)));
    }

    @Override
    public void openGroup(List<String> peers) {
        List<String> group = List.copyOf(peers);
        ui.execute(() -> select(tab("group:" + String.join(",", group), group, true)));
    }

    // ---- UI thread ----

    private void received(ChatMessage message) {
        String peer = Conversation.peerOf(message);
        Conversation conversation = conversations.computeIfAbsent(peer, Conversation::new);
        boolean fresh = conversation.apply(message);
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

    /** The tab of this conversation, created if needed (then its history is fetched). Null without widgets. */
    private Tab tab(String key, List<String> group, boolean focus) {
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
        Tab tab = new Tab(key, item, transcript, input, group);
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
        if (group == null) {
            loadHistory(key);
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

    private void loadHistory(String peer) {
        background(() -> {
            ChatService service = chat;
            if (service == null) {
                return;
            }
            List<ChatMessage> history;
            try {
                history = service.history(peer, HISTORY);
            } catch (RuntimeException e) {
                logger.warn("cannot read the history with {}: {}", peer, e.toString());
                return;
            }
            ui.execute(() -> {
                Conversation conversation = conversations.computeIfAbsent(peer, Conversation::new);
                conversation.addHistory(history);
                Tab tab = tabs.get(peer);
                if (tab != null) {
                    render(tab);
                }
            });
        });
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
                        delivery.whenComplete((result, failure) -> ui.execute(() -> groupOutcome(tab, recipient,
                                failure == null ? result : new DeliveryResult(DeliveryStatus.FAILED, String.valueOf(failure)))));
                    }
                } catch (RuntimeException e) {
                    // unknown user, not logged in: the chat refused the message before sending
                    outcome.add(Texts.get("conversation.notSent", recipient, e.getMessage()));
                }
            }
            if (!outcome.isEmpty()) {
                ui.execute(() -> {
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
            case FAILED -> result.reason() == null || result.reason().isBlank() ? Texts.get("mark.failed")
                    : Texts.get("mark.failedBecause", result.reason());
        };
        conversation.note(Texts.get("conversation.groupOutcome", recipient, mark));
        if (Widgets.alive(tab.item())) {
            render(tab);
        }
    }

    /** Rewrites the transcript: time (dim), sender (own in blue), text with links, delivery mark. */
    private void render(Tab tab) {
        if (!Widgets.alive(tab.transcript())) {
            return;
        }
        Conversation conversation = conversations.get(tab.key());
        StringBuilder text = new StringBuilder();
        List<StyleRange> styles = new ArrayList<>();
        List<Conversation.Note> notes = conversation.notes();
        int note = 0;
        for (ChatMessage message : conversation.messages()) {
            while (note < notes.size() && notes.get(note).afterId() < message.id()) {
                appendNote(text, styles, notes.get(note++).text());
            }
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
            String mark = TranscriptFormat.mark(message);
            if (!mark.isEmpty()) {
                text.append("   ");
                start = text.length();
                text.append(mark);
                styles.add(range(start, mark.length(), message.status() == DeliveryStatus.FAILED ? failed : dim, SWT.ITALIC));
            }
            text.append('\n');
        }
        while (note < notes.size()) {
            appendNote(text, styles, notes.get(note++).text());
        }
        StyledText transcript = tab.transcript();
        transcript.setText(text.toString());
        transcript.setStyleRanges(styles.toArray(StyleRange[]::new));
        transcript.setTopIndex(Math.max(0, transcript.getLineCount() - 1));
        tab.item().setText(tab.group() == null ? conversation.tabTitle() : Texts.get("conversation.group", String.join(", ", tab.group())));
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
