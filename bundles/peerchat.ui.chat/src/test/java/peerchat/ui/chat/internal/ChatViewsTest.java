package peerchat.ui.chat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Widget;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Assert;
import org.junit.Assume;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.service.log.Logger;

import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.api.roster.RosterClient;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.support.Widgets;

/**
 * The Roster and Conversations views with real SWT widgets on the build's display (CI: Xvfb), over a
 * fake chat core holding 1,000 messages with bob; skipped where there is no display unless
 * {@code peerchat.ui.required=true}. Waits for conditions (generous timeouts), never for time.
 * Screenshots go to {@code target/screenshots/}.
 */
public class ChatViewsTest {

    private static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    private static final long TIMEOUT_MILLIS = 30_000;
    private static Display display;

    private final List<String> problems = new CopyOnWriteArrayList<>();
    private FakeChat chat;
    private FakeRoster roster;
    private ConversationsView conversations;
    private RosterView rosterView;
    private Shell shell;

    @BeforeClass
    public static void openDisplay() {
        boolean hasDisplay = System.getenv("DISPLAY") != null && !System.getenv("DISPLAY").isBlank();
        if (!hasDisplay && Boolean.getBoolean("peerchat.ui.required")) {
            Assert.fail("no DISPLAY, but peerchat.ui.required=true (run under xvfb-run)");
        }
        if (!hasDisplay) {
            System.out.println("SKIPPED ChatViewsTest: no DISPLAY (run under xvfb-run)");
        }
        Assume.assumeTrue("no DISPLAY", hasDisplay);
        display = new Display();
    }

    @AfterClass
    public static void closeDisplay() {
        if (display != null) {
            display.dispose();
        }
    }

    @Before
    public void openViews() throws ReflectiveOperationException {
        chat = new FakeChat();
        roster = new FakeRoster();
        UiExecutor ui = new UiExecutor() {
            public void execute(Runnable task) {
                if (!display.isDisposed()) {
                    display.asyncExec(() -> {
                        if (!display.isDisposed()) {
                            task.run();
                        }
                    });
                }
            }

            public boolean isUiThread() {
                return display.getThread() == Thread.currentThread();
            }
        };
        conversations = new ConversationsView();
        inject(conversations, "logger", logger());
        inject(conversations, "ui", ui);
        inject(conversations, "chat", chat);
        conversations.clock = Clock.fixed(Instant.parse("2026-11-25T14:03:27Z"), ZoneOffset.UTC);
        conversations.start(null);
        chat.listener = conversations;

        rosterView = new RosterView();
        inject(rosterView, "logger", logger());
        inject(rosterView, "ui", ui);
        inject(rosterView, "roster", roster);
        inject(rosterView, "conversations", conversations);
        rosterView.activate();
        rosterView.setChat(chat);

        shell = new Shell(display);
        shell.setText("Peers Chatting — chat views test");
        shell.setLayout(new FillLayout());
        SashForm sash = new SashForm(shell, SWT.HORIZONTAL);
        Composite left = new Composite(sash, SWT.NONE);
        left.setLayout(new FillLayout());
        Composite center = new Composite(sash, SWT.NONE);
        center.setLayout(new FillLayout());
        sash.setWeights(33, 67);
        rosterView.createView(left);
        conversations.createView(center);
        shell.setBounds(0, 0, 1180, 720);
        shell.open();
        settle();
    }

    @After
    public void closeViews() {
        if (display == null) {
            return;
        }
        conversations.disposeView();
        rosterView.disposeView();
        shell.dispose();
        conversations.deactivate();
        rosterView.deactivate();
        assertEquals("no ChatService call on the UI thread", List.of(), chat.onUiThread);
        assertEquals("no warnings", List.of(), problems);
    }

    @Test
    public void offlineContactsStayListedGreyedWithLastSeen() throws IOException {
        Table table = find(shell, "roster.table", Table.class);
        waitFor("carol listed as offline", () -> row(table, "carol") != null);
        TableItem carol = row(table, "carol");
        String lastSeen = new TranscriptFormat(ZoneId.systemDefault()).dateTime(T0.plusSeconds(3600)); // not today
        assertEquals("offline — last seen " + lastSeen, carol.getText(1));
        assertEquals("greyed", new RGB(0x8a, 0x8a, 0x8a), carol.getForeground().getRGB());
        assertEquals("never seen online", "offline", row(table, "dave").getText(1));
        assertEquals("Online", row(table, "bob").getText(1));
        assertFalse("online: not greyed", new RGB(0x8a, 0x8a, 0x8a).equals(row(table, "bob").getForeground().getRGB()));
        assertEquals("2 online · 2 offline", find(shell, "roster.summary", Label.class).getText());
        screenshot("01-roster-offline-contacts");

        // bob leaves: the roster changes, the contacts are read again, bob stays listed, offline
        chat.bobOnline = false;
        roster.entries = List.of(roster.entries.get(0));
        rosterView.rosterChanged(new RosterEvent(RosterEvent.Kind.LEFT, null, roster.entries));
        waitFor("bob offline", () -> row(table, "bob") != null && row(table, "bob").getText(1).startsWith("offline — last seen"));
        assertEquals("1 online · 3 offline", find(shell, "roster.summary", Label.class).getText());

        // an offline contact can be messaged (the core queues it): double-click opens the conversation
        table.setSelection(table.indexOf(row(table, "carol")));
        table.notifyListeners(SWT.DefaultSelection, new Event());
        waitFor("carol's tab", () -> tab("carol") != null);
        screenshot("01b-roster-bob-left");
    }

    @Test
    public void theNewestPageShowsAndOlderPagesLoadWhenScrolledToTheTop() throws IOException {
        conversations.open("bob");
        waitFor("bob's newest page", () -> transcript("bob") != null && transcript("bob").getText().contains("message 1000"));
        StyledText transcript = transcript("bob");
        lastState = () -> "top pixel " + transcript.getTopPixel() + ", bar " + transcript.getVerticalBar().getSelection()
                + ", first line " + firstMessageLine(transcript) + ", calls " + chat.calls;
        assertEquals("one page", 100, messageLines(transcript));
        assertTrue("starts with message 901", firstMessageLine(transcript).contains("message 901"));
        assertEquals(List.of("history(bob, 100)"), chat.calls);
        assertTrue("follows the end", transcript.getTopIndex() > 0);
        screenshot("02a-newest-page");

        scrollToTop(transcript);
        waitFor("the page before", () -> firstMessageLine(transcript).contains("message 801"));
        assertEquals(200, messageLines(transcript));
        assertEquals("history(bob, 901, 100)", chat.calls.get(1));
        String top = transcript.getLine(transcript.getTopIndex());
        assertTrue("the line in view stays in view: " + top, top.contains("message 90") || top.contains("message 89"));
        screenshot("02b-older-page-loaded");

        // on up: the window stays bounded, the newest are dropped and come back at the end
        for (int expected = 701; expected >= 1; expected -= 100) {
            scrollToTop(transcript);
            int wanted = expected;
            waitFor("page from " + wanted, () -> firstMessageLine(transcript).contains("message " + wanted + "  ")
                    || firstMessageLine(transcript).endsWith("message " + wanted));
            assertTrue("bounded: " + messageLines(transcript), messageLines(transcript) <= Conversation.MAX_HELD);
        }
        assertFalse(transcript.getText().contains("message 1000"));
        int calls = chat.calls.size();
        scrollToTop(transcript);
        settle();
        waitFor("the last, empty page is asked for once", () -> chat.calls.size() == calls + 1);
        scrollToTop(transcript);
        settle();
        assertEquals("nothing older: no more reads", calls + 1, chat.calls.size());

        scrollToEnd(transcript);
        waitFor("back at the end: the newest page again", () -> transcript.getText().contains("message 1000"));
        assertEquals(100, messageLines(transcript));
    }

    @Test
    public void outgoingMessagesShowTheirStateAndAChangeRewritesOnlyItsLine() throws IOException {
        conversations.open("bob");
        waitFor("bob's newest page", () -> transcript("bob") != null && transcript("bob").getText().contains("message 1000"));
        StyledText transcript = transcript("bob");
        Text input = find(shell, "conversation.input.bob", Text.class);
        input.setText("are you there?");
        find(shell, "conversation.send.bob", Button.class).notifyListeners(SWT.Selection, new Event());
        waitFor("queued mark", () -> lastLine(transcript).contains("are you there?   ◷ queued"));
        int sender = transcript.getText().lastIndexOf("alice: are you there?");
        assertEquals("the new line has its styles: the sender in bold", SWT.BOLD,
                transcript.getStyleRangeAtOffset(sender).fontStyle & SWT.BOLD);
        assertEquals("the mark in italic", SWT.ITALIC,
                transcript.getStyleRangeAtOffset(transcript.getText().lastIndexOf("◷ queued")).fontStyle & SWT.ITALIC);
        assertEquals("the first line keeps its own styles", SWT.BOLD,
                transcript.getStyleRangeAtOffset(transcript.getText().indexOf("bob: message 901")).fontStyle & SWT.BOLD);
        assertEquals("", input.getText());

        List<String> changes = new ArrayList<>();
        transcript.addExtendedModifyListener(event -> changes.add(event.replacedText));
        String before = transcript.getText();
        ChatMessage sent = chat.sent.get(0);
        conversations.messageChanged(with(sent, DeliveryStatus.DELIVERED, ""));
        waitFor("delivered mark", () -> lastLine(transcript).contains("are you there?   ✓ delivered"));
        assertEquals("one line rewritten, nothing else", 1, changes.size());
        assertTrue(changes.get(0).contains("are you there?   ◷ queued"));
        assertEquals(before.substring(0, before.lastIndexOf("alice: are you there?")),
                transcript.getText().substring(0, before.lastIndexOf("alice: are you there?")));

        chat.queue("bob", "sending now");
        chat.queue("bob", "will fail");
        chat.queue("bob", "kept for later");
        ChatMessage failing = chat.sent.get(2);
        conversations.messageChanged(with(chat.sent.get(1), DeliveryStatus.SENDING, ""));
        conversations.messageChanged(with(failing, DeliveryStatus.FAILED, "no answer from bob"));
        waitFor("failed with time and reason", () -> transcript.getText().contains("will fail   ✗ failed 14:03:27: no answer from bob"));
        waitFor("sending mark", () -> transcript.getText().contains("sending now   ⋯ sending"));
        assertEquals("a failure in red", new RGB(0xc0, 0x20, 0x20),
                transcript.getStyleRangeAtOffset(transcript.getText().indexOf("✗ failed 14:03:27")).foreground.getRGB());
        assertTrue(lastLine(transcript).contains("kept for later   ◷ queued"));

        // the tool tip over a queued message says what it means
        int offset = transcript.getText().lastIndexOf("kept for later");
        Point at = transcript.getLocationAtOffset(offset);
        Event move = new Event();
        move.x = at.x + 2;
        move.y = at.y + 2;
        transcript.notifyListeners(SWT.MouseMove, move);
        assertEquals("bob is offline: the message is kept and goes out when bob is online again (also after a restart).",
                transcript.getToolTipText());
        screenshot("03-delivery-states");
    }

    @Test
    public void searchListsResultsAndOpensTheConversationAtTheMessage() throws IOException {
        Text search = find(shell, "conversations.search", Text.class);
        search.setText("needle");
        search.notifyListeners(SWT.DefaultSelection, new Event()); // Enter
        Table results = find(shell, "conversations.results", Table.class);
        waitFor("results", () -> results.getVisible() && results.getItemCount() == 5);
        assertEquals(List.of("search(needle, null, 50)"), chat.calls);
        TranscriptFormat format = new TranscriptFormat(ZoneId.systemDefault());
        assertEquals(List.of(format.dateTime(chat.message(1003).time()), "carol", "needle in a haystack 1003"),
                texts(results.getItem(0)));
        assertEquals(List.of(format.dateTime(chat.message(1000).time()), "bob", "alice: message 1000 needle"),
                texts(results.getItem(1)));
        assertEquals("5 messages with “needle”, newest first; select one to open it there",
                find(shell, "conversations.results.summary", Label.class).getText());
        screenshot("04a-search-results");

        results.setSelection(4); // message 250, far back in bob's conversation
        results.notifyListeners(SWT.Selection, new Event());
        waitFor("bob's tab at message 250", () -> transcript("bob") != null
                && transcript("bob").getSelectionText().contains("message 250 needle"));
        StyledText transcript = transcript("bob");
        assertEquals("history(bob, 251, 100)", chat.calls.get(1));
        assertTrue(firstMessageLine(transcript).contains("message 151"));
        assertTrue(lastLine(transcript).contains("message 250"));
        int line = transcript.getLineAtOffset(transcript.getSelection().x);
        assertTrue("in view", line >= transcript.getTopIndex()
                && transcript.getLinePixel(line) < transcript.getClientArea().height);
        screenshot("04b-search-opened");

        // Escape closes the results
        Event escape = new Event();
        escape.detail = SWT.TRAVERSE_ESCAPE;
        escape.doit = true;
        search.notifyListeners(SWT.Traverse, escape);
        assertFalse(results.getVisible());
    }

    // ---- the fakes ----

    /** A chat core with 1,000 messages with bob (every 250th has "needle"), a few with carol. */
    private final class FakeChat implements ChatService {
        final List<ChatMessage> messages = new ArrayList<>();
        final List<String> calls = new CopyOnWriteArrayList<>();
        final List<String> onUiThread = new CopyOnWriteArrayList<>();
        final List<ChatMessage> sent = new CopyOnWriteArrayList<>();
        volatile ConversationsView listener;
        volatile boolean bobOnline = true;
        private long nextId = 2001;

        FakeChat() {
            for (int i = 1; i <= 1000; i++) {
                boolean out = i % 2 == 0;
                String text = "message " + i + (i % 250 == 0 ? " needle" : "");
                messages.add(new ChatMessage(i, T0.plusSeconds(60L * i), out ? "alice" : "bob", out ? "bob" : "alice",
                        text, out, DeliveryStatus.DELIVERED, ""));
            }
            for (int i = 1001; i <= 1005; i++) {
                messages.add(new ChatMessage(i, T0.plusSeconds(60L * i), "carol", "alice",
                        (i == 1003 ? "needle in a haystack " : "hello ") + i, false, DeliveryStatus.DELIVERED, ""));
            }
        }

        private void called(String call) {
            calls.add(call);
            if (Thread.currentThread() == display.getThread()) {
                onUiThread.add(call);
            }
        }

        ChatMessage message(long id) {
            return messages.stream().filter(m -> m.id() == id).findFirst().orElseThrow();
        }

        private List<ChatMessage> of(String peer) {
            return messages.stream().filter(m -> Conversation.peerOf(m).equals(peer)).toList();
        }

        @Override
        public CompletionStage<DeliveryResult> send(String to, String text) {
            called("send(" + to + ")");
            queue(to, text);
            return CompletableFuture.completedFuture(new DeliveryResult(DeliveryStatus.QUEUED, ""));
        }

        /** A message to an offline contact as the core reports it: SENDING, then QUEUED. */
        ChatMessage queue(String to, String text) {
            ChatMessage message;
            synchronized (this) {
                message = new ChatMessage(nextId++, T0.plusSeconds(100_000), "alice", to, text, true, DeliveryStatus.QUEUED, "");
            }
            sent.add(message);
            ConversationsView view = listener;
            view.messageChanged(with(message, DeliveryStatus.SENDING, ""));
            view.messageChanged(message);
            return message;
        }

        @Override
        public List<ChatMessage> history(String peer, int limit) {
            called("history(" + peer + ", " + limit + ")");
            List<ChatMessage> all = of(peer);
            return all.subList(Math.max(0, all.size() - limit), all.size());
        }

        @Override
        public List<ChatMessage> history(String peer, long beforeId, int limit) {
            called("history(" + peer + ", " + beforeId + ", " + limit + ")");
            List<ChatMessage> older = of(peer).stream().filter(m -> m.id() < beforeId).toList();
            return older.subList(Math.max(0, older.size() - limit), older.size());
        }

        @Override
        public List<ChatMessage> search(String text, String peer, int limit) {
            called("search(" + text + ", " + peer + ", " + limit + ")");
            List<ChatMessage> found = new ArrayList<>(messages.stream()
                    .filter(m -> m.text().toLowerCase().contains(text.toLowerCase()))
                    .filter(m -> peer == null || Conversation.peerOf(m).equals(peer)).toList());
            Collections.reverse(found);
            return found.subList(0, Math.min(limit, found.size()));
        }

        @Override
        public List<Contact> contacts() {
            if (Thread.currentThread() == display.getThread()) {
                onUiThread.add("contacts()");
            }
            return List.of(new Contact("bob", bobOnline ? Presence.ONLINE : null, T0.plusSeconds(7200)),
                    new Contact("carol", null, T0.plusSeconds(3600)), new Contact("dave", null, null));
        }

        @Override
        public Optional<String> storeFault() {
            return Optional.empty();
        }
    }

    private static ChatMessage with(ChatMessage message, DeliveryStatus status, String reason) {
        return new ChatMessage(message.id(), message.time(), message.from(), message.to(), message.text(),
                message.outgoing(), status, reason);
    }

    private static final class FakeRoster implements RosterClient {
        volatile List<RosterEntry> entries = List.of(
                new RosterEntry("alice", new PeerAddress("127.0.0.1", 40001), Presence.ONLINE, "", false),
                new RosterEntry("bob", new PeerAddress("127.0.0.1", 40002), Presence.ONLINE, "", false));

        public CompletionStage<List<RosterEntry>> login(String name, PeerAddress server) {
            return CompletableFuture.completedFuture(entries);
        }

        public CompletionStage<Void> logout() {
            return CompletableFuture.completedFuture(null);
        }

        public List<RosterEntry> roster() {
            return entries;
        }

        public Optional<RosterEntry> find(String name) {
            return entries.stream().filter(e -> e.name().equals(name)).findFirst();
        }

        public Optional<RosterEntry> findByAddress(PeerAddress address) {
            return Optional.empty();
        }

        public Optional<String> userName() {
            return Optional.of("alice");
        }

        public PeerAddress serverAddress() {
            return new PeerAddress("127.0.0.1", 5555);
        }

        public ConnectionState state() {
            return ConnectionState.ONLINE;
        }
    }

    private Logger logger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] { Logger.class },
                (proxy, method, args) -> {
                    if ((method.getName().equals("warn") || method.getName().equals("error")) && args != null) {
                        problems.add(java.util.Arrays.toString(args));
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    private static void inject(Object target, String name, Object value) throws ReflectiveOperationException {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }

    // ---- driving and reading the widgets ----

    private static void settle() {
        while (display.readAndDispatch()) {
            // only what is queued
        }
    }

    /** What a timeout reports besides its condition. */
    private static java.util.function.Supplier<String> lastState;

    /** Runs the event loop until the condition holds; fails after a generous timeout. */
    private static void waitFor(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assert.fail("timed out waiting for: " + what + (lastState == null ? "" : " (" + lastState.get() + ")"));
            }
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> {
                });
                display.sleep();
            }
        }
    }

    /** As the user dragging the scroll bar to the top. */
    private static void scrollToTop(StyledText transcript) {
        transcript.setTopIndex(0);
        transcript.getVerticalBar().setSelection(0);
        transcript.getVerticalBar().notifyListeners(SWT.Selection, new Event());
    }

    /** As the user dragging the scroll bar to the bottom. */
    private static void scrollToEnd(StyledText transcript) {
        transcript.setTopIndex(transcript.getLineCount() - 1);
        transcript.getVerticalBar().setSelection(transcript.getVerticalBar().getMaximum());
        transcript.getVerticalBar().notifyListeners(SWT.Selection, new Event());
    }

    private StyledText transcript(String peer) {
        return findOrNull(shell, "conversation.transcript." + peer, StyledText.class);
    }

    private CTabItem tab(String peer) {
        CTabFolder folder = find(shell, "conversations.tabs", CTabFolder.class);
        for (CTabItem item : folder.getItems()) {
            if (("conversation.tab." + peer).equals(item.getData(Widgets.WIDGET_ID))) {
                return item;
            }
        }
        return null;
    }

    private static int messageLines(StyledText transcript) {
        return (int) transcript.getText().lines().filter(line -> line.matches("\\d\\d:\\d\\d:\\d\\d  .*")).count();
    }

    private static String firstMessageLine(StyledText transcript) {
        return transcript.getText().lines().filter(line -> line.matches("\\d\\d:\\d\\d:\\d\\d  .*")).findFirst().orElse("");
    }

    private static String lastLine(StyledText transcript) {
        List<String> lines = transcript.getText().lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static TableItem row(Table table, String name) {
        for (TableItem item : table.getItems()) {
            if (name.equals(item.getData())) {
                return item;
            }
        }
        return null;
    }

    private static List<String> texts(TableItem item) {
        return List.of(item.getText(0), item.getText(1), item.getText(2));
    }

    private static <W extends Widget> W find(Composite parent, String id, Class<W> type) {
        W found = findOrNull(parent, id, type);
        assertNotNull("widget " + id, found);
        return found;
    }

    private static <W extends Widget> W findOrNull(Composite parent, String id, Class<W> type) {
        for (Control child : parent.getChildren()) {
            if (type.isInstance(child) && id.equals(child.getData(Widgets.WIDGET_ID))) {
                return type.cast(child);
            }
            if (child instanceof Composite composite) {
                W found = findOrNull(composite, id, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The test window as on screen, to {@code target/screenshots/NAME.png}. */
    private void screenshot(String name) throws IOException {
        // GTK paints on its frame clock: let it draw what the assertions saw before copying the screen
        long until = System.nanoTime() + 400_000_000L;
        while (System.nanoTime() < until) {
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> {
                });
                display.sleep();
            }
        }
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Rectangle bounds = shell.getBounds();
        Image image = new Image(display, bounds.width, bounds.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, bounds.x, bounds.y);
            ImageLoader loader = new ImageLoader();
            loader.data = new org.eclipse.swt.graphics.ImageData[] { image.getImageData() };
            loader.save(dir.resolve(name + ".png").toString(), SWT.IMAGE_PNG);
        } finally {
            gc.dispose();
            image.dispose();
        }
    }
}
