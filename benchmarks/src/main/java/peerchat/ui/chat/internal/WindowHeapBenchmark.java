package peerchat.ui.chat.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.osgi.service.log.Logger;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.store.MessageStore;
import peerchat.api.store.StoredMessage;
import peerchat.chat.core.internal.BenchChat;
import peerchat.store.sqlite.internal.BenchStores;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.support.Widgets;

/**
 * The heap of the window's Conversations view with a 100,000-message conversation open: the real
 * chat engine over a real SQLite store of 100,000 messages with bob, the real view in an SWT shell
 * (needs a display: {@code xvfb-run}). Heap used after a full GC, before the conversation is opened,
 * with its newest page, and after the user scrolled up through 20 pages (the view holds at most
 * {@link Conversation#MAX_HELD} messages). The baseline is a copy of all 100,000 texts in memory,
 * which is what a view that keeps its own transcript would hold at least.
 */
public final class WindowHeapBenchmark {

    private static final int MESSAGES = Integer.getInteger("count", 100_000);

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/window");
        Path dir = Path.of(System.getProperty("dir", "target/window-bench"));
        Files.createDirectories(dir);
        MessageStore store = BenchStores.open(dir.resolve("window-" + System.nanoTime() + ".db"));
        fill(store);
        BenchChat chat = BenchChat.start("alice", List.of(BenchChat.online("alice", new PeerAddress("127.0.0.1", 1)),
                BenchChat.online("bob", new PeerAddress("127.0.0.1", 2))), store, null);
        Display display = new Display();
        ConversationsView view = new ConversationsView();
        inject(view, "logger", quietLogger());
        inject(view, "ui", new UiExecutor() {
            @Override
            public void execute(Runnable task) {
                display.asyncExec(() -> {
                    if (!display.isDisposed()) {
                        task.run();
                    }
                });
            }

            @Override
            public boolean isUiThread() {
                return display.getThread() == Thread.currentThread();
            }
        });
        inject(view, "chat", chat);
        view.start(null);
        Shell shell = new Shell(display);
        shell.setLayout(new FillLayout());
        Composite center = new Composite(shell, SWT.NONE);
        center.setLayout(new FillLayout());
        view.createView(center);
        shell.setBounds(0, 0, 1000, 700);
        shell.open();
        settle(display, () -> true);

        long empty = usedAfterGc(display);
        view.open("bob");
        String newest = "message " + MESSAGES;
        settle(display, () -> transcript(shell) != null && transcript(shell).getText().contains(newest));
        long newestPage = usedAfterGc(display);
        StyledText transcript = transcript(shell);
        for (int page = 1; page <= 20; page++) {
            String expected = "bob message " + (MESSAGES - 100 * page - 99) + "\n"; // odd: bob's, no mark
            transcript.setTopIndex(0);
            transcript.getVerticalBar().setSelection(0);
            transcript.getVerticalBar().notifyListeners(SWT.Selection, new Event());
            settle(display, () -> transcript.getText().contains(expected));
        }
        int lines = transcript.getLineCount();
        long scrolled = usedAfterGc(display);

        List<String> copy = new ArrayList<>();
        long before = usedAfterGc(display);
        for (StoredMessage m : store.conversation("bob", Long.MAX_VALUE, MESSAGES)) {
            copy.add(m.text());
        }
        long withCopy = usedAfterGc(display);
        int kept = copy.size();

        String md = "| benchmark | unit | measured | baseline | note |\n|---|---|---:|---:|---|\n"
                + row("heap, Conversations view open, no conversation", empty, "-", "used after GC")
                + row("heap, " + String.format(Locale.ROOT, "%,d", MESSAGES) + "-message conversation open (newest page)",
                        newestPage, kb(withCopy - before), "baseline: the " + kept + " texts alone, as a copy")
                + row("heap, after scrolling up 20 pages", scrolled, kb(withCopy - before),
                        lines + " transcript lines held (at most " + Conversation.MAX_HELD + " messages)")
                + row("view's share with the conversation open", newestPage - empty, "-", "newest page minus empty")
                + row("view's share after scrolling up 20 pages", scrolled - empty, "-", "scrolled minus empty");
        System.out.println();
        System.out.print(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("window-results.md"), md);
        System.out.println("written to " + out.resolve("window-results.md").toAbsolutePath());
        shell.dispose();
        display.dispose();
        Runtime.getRuntime().halt(0);
    }

    private static String row(String name, long bytes, String baseline, String note) {
        return String.format(Locale.ROOT, "| %s | KB | %s | %s | %s |%n", name, kb(bytes), baseline, note);
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%,d", bytes / 1024);
    }

    private static void fill(MessageStore store) throws Exception {
        List<StoredMessage> batch = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 1; i <= MESSAGES; i++) {
            boolean mine = i % 2 == 0;
            Instant at = t0.plusSeconds(i);
            String text = (mine ? "alice" : "bob") + " message " + i;
            batch.add(new StoredMessage(0, "m" + i, "bob", mine, mine ? "alice" : "bob", mine ? "bob" : "alice", text,
                    at, mine ? null : at, mine ? at : null, DeliveryStatus.DELIVERED, ""));
            if (batch.size() == 1_000) {
                store.add(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.add(batch);
        }
    }

    /** Runs the event loop until the condition holds (at most 60 s). */
    private static void settle(Display display, BooleanSupplier condition) {
        long end = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the view did not get there within 60 s");
            }
            if (!display.readAndDispatch()) {
                display.sleep();
                display.wake();
            }
        }
        for (int i = 0; i < 50 && display.readAndDispatch(); i++) {
            // drain what is left
        }
    }

    private static long usedAfterGc(Display display) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            while (display.readAndDispatch()) {
                // events that came meanwhile
            }
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static StyledText transcript(Composite parent) {
        for (Control child : parent.getChildren()) {
            if (child instanceof StyledText text && "conversation.transcript.bob".equals(child.getData(Widgets.WIDGET_ID))) {
                return text;
            }
            if (child instanceof Composite composite) {
                StyledText found = transcript(composite);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static void inject(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static Logger quietLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> "benchmark";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "benchmark logger";
                    case "isErrorEnabled", "isWarnEnabled" -> Boolean.TRUE;
                    case "error", "warn" -> {
                        System.err.println("view: " + java.util.Arrays.toString(args));
                        yield null;
                    }
                    default -> method.getName().startsWith("is") ? Boolean.FALSE : null;
                });
    }
}
