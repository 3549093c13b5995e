package peerchat.ui.chat.internal;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
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

import peerchat.api.chat.ChatListener;
import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewArea;
import peerchat.ui.api.ViewContribution;

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
    private static final RGB BLUE = new RGB(0x2a, 0x6f, 0xdb);

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference
    private UiExecutor ui;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chat;

    private ExecutorService worker;
    private final TranscriptFormat format = new TranscriptFormat(ZoneId.systemDefault());

    /** UI thread only, from here on. The models outlive the widgets (a view can be rebuilt). */
    private final Map<String, Conversation> conversations = new HashMap<>();
    private final Map<String, Tab> tabs = new LinkedHashMap<>();
    private Composite stack;
    private StackLayout stackLayout;
    private Label hint;
    private CTabFolder folder;
    private Color dim;
    private Color own;
    private Color failed;

    /** The widgets of one open tab; {@code group} lists the recipients of a group tab, else null. */
    private record Tab(String key, CTabItem item, StyledText transcript, Text input, List<String> group) {
    }

    @Activate
    void activate() {
        worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-chat");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "Conversations";
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
        hint.setText("\n\nDouble-click someone in the roster to start a conversation.");
        folder = Widgets.accessible(new CTabFolder(stack, SWT.BORDER | SWT.CLOSE | SWT.FLAT), "conversations.tabs",
                "Conversations");
        folder.addListener(SWT.Selection, event -> selected());
        folder.addListener(SWT.FocusIn, event -> selected());
        folder.getShell().addListener(SWT.Activate, shellActivated);
        stackLayout.topControl = hint;
        // conversations that had tabs before (view rebuilt) get them again
        for (String key : List.copyOf(conversations.keySet())) {
            if (!key.startsWith("group:")) {
                tab(key, null, false);
            }
        }
    }

    private final org.eclipse.swt.widgets.Listener shellActivated = event -> selected();

    @Override
    public void disposeView() {
        if (Widgets.alive(folder)) {
            folder.getShell().removeListener(SWT.Activate, shellActivated);
        }
        tabs.clear();
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
        }
        if (tab != null) {
            render(tab);
        }
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
                "conversation.transcript." + key, "Transcript with " + who);
        transcript.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
        transcript.setMargins(6, 4, 6, 4);
        transcript.setLineSpacing(2);
        transcript.addListener(SWT.MouseUp, event -> openLink(transcript, event));
        Text input = Widgets.accessible(new Text(body, SWT.MULTI | SWT.WRAP | SWT.V_SCROLL | SWT.BORDER),
                "conversation.input." + key, "Message to " + who);
        GridData inputData = new GridData(SWT.FILL, SWT.FILL, true, false);
        inputData.heightHint = input.getLineHeight() * 3;
        input.setLayoutData(inputData);
        input.setMessage("Message " + who + " — Enter sends, Shift+Enter new line");
        Button send = Widgets.accessible(new Button(body, SWT.PUSH), "conversation.send." + key, "Send");
        send.setText("Send");
        send.setLayoutData(new GridData(SWT.FILL, SWT.FILL, false, false));

        CTabItem item = new CTabItem(folder, SWT.CLOSE);
        item.setControl(body);
        item.setData(Widgets.WIDGET_ID, "conversation.tab." + key);
        Tab tab = new Tab(key, item, transcript, input, group);
        tabs.put(key, tab);
        item.addListener(SWT.Dispose, event -> tabs.remove(key));

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
        worker.execute(() -> {
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

    private void send(Tab tab) {
        String text = tab.input().getText();
        if (text.isBlank()) {
            return;
        }
        tab.input().setText("");
        List<String> recipients = tab.group() == null ? List.of(tab.key()) : tab.group();
        Conversation conversation = conversations.get(tab.key());
        if (tab.group() != null) {
            conversation.note("→ " + String.join(", ", recipients) + ": " + text);
            render(tab);
        }
        worker.execute(() -> {
            ChatService service = chat;
            List<String> outcome = new ArrayList<>();
            for (String recipient : recipients) {
                if (service == null) {
                    outcome.add(recipient + ": not sent, chat is not available");
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
                    outcome.add(recipient + ": not sent, " + e.getMessage());
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
        conversation.note("   " + recipient + ": " + (result.status() == DeliveryStatus.DELIVERED ? "✓ delivered"
                : result.status().name().toLowerCase() + (result.reason().isBlank() ? "" : " " + result.reason())));
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
        tab.item().setText(tab.group() == null ? conversation.tabTitle() : "Group: " + String.join(", ", tab.group()));
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
                // the desktop's browser starts as its own process; SWT does not wait for it
                Program.launch(url);
            }
        }
    }
}
