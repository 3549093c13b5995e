package peerchat.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.custom.CTabItem;
import org.eclipse.swt.custom.StyledText;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.options.ProvisionOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import peerchat.ui.api.UiExecutor;
import peerchat.testing.PeerProcess;

/**
 * The workbench in a real window (Xvfb in CI): one workbench (this framework, features core, server,
 * ui) and one headless peer (the built distribution as a process). The test connects through the
 * Connect dialog, opens a conversation from the roster, types a message and presses Enter, and checks
 * the other side got it and the transcript says delivered; it restarts the views bundle and sees the
 * views go and come back; the peer leaves and the roster shows it. Screenshots go to
 * {@code target/screenshots/}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UiWorkbenchIT {

    private static final long TIMEOUT = 30;
    /** The bundle the Plugins view installs, updates, stops, starts and uninstalls; written by the test. */
    private static final String SAMPLE = "peerchat.itests.sample";

    @Inject
    private BundleContext context;

    private ExecutorService uiThread;
    private UiDriver driver;
    private ServiceRegistration<?> mainThread;
    private final List<String> problems = new ArrayList<>();
    private LogListener logListener;
    private ServiceTracker<LogReaderService, LogReaderService> logReader;

    @Configuration
    public Option[] config() throws Exception {
        return options(
                junitBundles(),
                frameworkProperty("peerchat.data").value(System.getProperty("peerchat.itest.data") + "-ui"),
                frameworkProperty("gosh.args").value("--nointeractive --noshutdown"),
                FeatureBundles.testSupport(),
                composite(withoutStartingFragments(FeatureBundles.ofDistribution().options("core", "server", "ui"))));
    }

    /** The SWT GTK fragment is installed but not started (Felix refuses to start a fragment). */
    private static Option[] withoutStartingFragments(List<Option> bundles) throws IOException {
        for (Option option : bundles) {
            if (option instanceof ProvisionOption<?> provision) {
                try (JarFile jar = new JarFile(Path.of(URI.create(provision.getURL())).toFile())) {
                    if (jar.getManifest().getMainAttributes().getValue("Fragment-Host") != null) {
                        provision.start(false);
                    }
                }
            }
        }
        return bundles.toArray(Option[]::new);
    }

    @After
    public void tearDown() throws Exception {
        if (mainThread != null) {
            mainThread.unregister(); // the workbench deactivates and ends its event loop
        }
        if (uiThread != null) {
            uiThread.shutdown();
            uiThread.awaitTermination(15, TimeUnit.SECONDS);
        }
        if (logReader != null) {
            LogReaderService reader = logReader.getService();
            if (reader != null && logListener != null) {
                reader.removeLogListener(logListener);
            }
            logReader.close();
        }
    }

    @Test
    public void theWorkbenchChatsWithAHeadlessPeerAndSurvivesAViewsRestart() throws Exception {
        String display = System.getenv("DISPLAY");
        boolean required = Boolean.getBoolean("peerchat.ui.required");
        if (!required) {
            assumeTrue("no DISPLAY: the UI test needs an X server (Xvfb :99; DISPLAY=:99)", display != null && !display.isBlank());
        }
        assertTrue("peerchat.ui.required=true but DISPLAY is not set: start Xvfb and export DISPLAY", display != null && !display.isBlank());
        watchLog();

        int port = freeTcpPort();
        String server = "127.0.0.1:" + port;
        Path home = Path.of(System.getProperty("peerchat.home"));
        Path itestData = Path.of(System.getProperty("peerchat.itest.data"));
        java.nio.file.Files.createDirectories(itestData);
        Path data = java.nio.file.Files.createTempDirectory(itestData, "ui-bob-");
        UiDriver ui = startWorkbench();
        driver = ui;
        ui.screenshot("01-connect-dialog");

        // the Connect dialog opens on first start: name and server, then Enter on the default button
        ui.onUi(() -> {
            ((Text) ui.find("connect.name")).setText("alice");
            ((Text) ui.find("connect.server")).setText(server);
            // this workbench hosts the roster server, as the README's command does
            ((Button) ui.find("connect.host")).setSelection(true);
            ((Text) ui.find("connect.hostPort")).setText(Integer.toString(port));
            // chat on loopback only: the transport moves there (through ConfigAdmin) before the login
            Combo bind = (Combo) ui.find("connect.bind");
            bind.select(java.util.Arrays.asList(bind.getItems()).indexOf("loopback only (127.0.0.1)"));
            assertEquals("loopback only (127.0.0.1)", bind.getText());
            ((Text) ui.find("connect.name")).setFocus();
        });
        ui.pressKey(SWT.CR, '\r', 0);
        ui.waitFor("the roster shows alice", () -> rosterNames(ui), rows -> rows.equals(List.of("alice (you)")), TIMEOUT);

        // a headless peer joins the workbench's server
        try (PeerProcess bob = PeerProcess.start(home, "bob", "--connect", server, "--name", "bob", "--data",
                data.toString())) {
            List<String> names = ui.waitFor("the roster shows alice and bob", () -> rosterNames(ui),
                    rows -> rows.size() == 2, TIMEOUT);
            assertEquals(List.of("alice (you)", "bob"), names);
            ui.waitFor("the status bar says online", () -> ((Label) ui.find("status.connection")).getText(),
                    text -> text.startsWith("online at " + server), TIMEOUT);
            ui.waitFor("the status bar shows alice on loopback", () -> ((Label) ui.find("status.me")).getText(),
                    text -> text.startsWith("alice · udp 127.0.0.1:"), TIMEOUT);
            ui.screenshot("02-roster");

            // alice sets her presence and status text in the Roster view (Enter in the status text sets
            // both): bob's chat:roster sees it
            ui.onUi(() -> {
                // without a window manager (plain Xvfb) nobody gives the window back its focus after the dialog
                ((Table) ui.find("roster.table")).getShell().forceActive();
            });
            ui.flush();
            ui.onUi(() -> {
                Combo presence = (Combo) ui.find("roster.presence");
                assertEquals("Online", presence.getText());
                presence.select(presence.indexOf("Away"));
                Text status = (Text) ui.find("roster.status");
                status.setText("in a meeting");
                assertTrue("the status text has the focus", status.setFocus());
            });
            ui.pressKey(SWT.CR, '\r', 0);
            ui.waitFor("alice's own row shows away", () -> rosterStatus(ui, "alice (you)"),
                    text -> text.equals("Away — in a meeting"), TIMEOUT);
            List<String> seenByBob = bob.runUntil("chat:roster",
                    lines -> lines.stream().anyMatch(line -> line.startsWith("alice ") && line.endsWith(" away \"in a meeting\"")),
                    TIMEOUT);
            assertEquals(seenByBob.toString(), 2, seenByBob.size());
            ui.screenshot("02b-presence");

            // double-click bob: a conversation tab opens with the input focused
            ui.onUi(() -> {
                // without a window manager (plain Xvfb) nobody gives the window back its focus after the dialog
                ((Table) ui.find("roster.table")).getShell().forceActive();
            });
            ui.flush();
            ui.onUi(() -> {
                Table table = (Table) ui.find("roster.table");
                table.setSelection(1);
                table.notifyListeners(SWT.DefaultSelection, new org.eclipse.swt.widgets.Event());
            });
            ui.waitFor("bob's input has the focus", () -> {
                Text input = (Text) ui.find("conversation.input.bob");
                return input != null && input.isFocusControl();
            }, focused -> focused, TIMEOUT);

            // type, Shift+Enter for a new line, type, Enter sends
            ui.type("Hello bob");
            ui.pressKey(SWT.CR, '\r', SWT.SHIFT);
            ui.type("second line");
            assertEquals("Hello bob\nsecond line", ui.onUi(() -> ((Text) ui.find("conversation.input.bob")).getText()));
            ui.pressKey(SWT.CR, '\r', 0);
            assertEquals("Enter sent and cleared the input", "",
                    ui.onUi(() -> ((Text) ui.find("conversation.input.bob")).getText()));

            String transcript = ui.waitFor("the transcript shows the message as delivered",
                    () -> ((StyledText) ui.find("conversation.transcript.bob")).getText(),
                    text -> text.contains("✓ delivered"), TIMEOUT);
            assertTrue(transcript, transcript.matches("(?s)\\d\\d:\\d\\d:\\d\\d  alice: Hello bob\nsecond line   ✓ delivered\n"));
            List<String> history = bob.runUntil("chat:history alice", lines -> lines.size() == 1, TIMEOUT);
            assertTrue(history.toString(), history.get(0).matches("\\d\\d:\\d\\d:\\d\\d alice -> bob: Hello bob.*"));

            // Unicode and a link (set as text: XTest types only what the keyboard map has), sent with Enter
            String unicode = "Grüße, ünïcødé ☺ — see https://example.org/x";
            ui.onUi(() -> ((Text) ui.find("conversation.input.bob")).setText(unicode));
            ui.pressKey(SWT.CR, '\r', 0);
            String withUnicode = ui.waitFor("the Unicode message is delivered",
                    () -> ((StyledText) ui.find("conversation.transcript.bob")).getText(),
                    text -> text.contains("alice: " + unicode + "   ✓ delivered"), TIMEOUT);
            int link = withUnicode.indexOf("https://example.org/x");
            assertTrue("the URL is shown as a link", ui.onUi(() -> {
                var style = ((StyledText) ui.find("conversation.transcript.bob")).getStyleRangeAtOffset(link + 3);
                return style != null && style.underline;
            }));
            bob.runUntil("chat:history alice", lines -> lines.size() == 2, TIMEOUT);

            // a click on the link hands its URL to the link handler (the test's, instead of the browser). The
            // button release is given to the transcript at the link's position: XTest clicks under a bare Xvfb
            // reach the StyledText with the position (0, 0) of the screen, not the pointer's
            List<String> launched = new CopyOnWriteArrayList<>();
            ui.onUi(() -> {
                StyledText text = (StyledText) ui.find("conversation.transcript.bob");
                text.setData("peerchat.linkHandler", (Consumer<String>) launched::add);
                Point at = text.getLocationAtOffset(link + 3);
                Event release = new Event();
                release.button = 1;
                release.x = at.x + 2;
                release.y = at.y + text.getLineHeight(link + 3) / 2;
                text.notifyListeners(SWT.MouseUp, release);
                Event elsewhere = new Event();
                elsewhere.button = 1;
                elsewhere.x = text.getLocationAtOffset(0).x + 2;
                elsewhere.y = release.y;
                text.notifyListeners(SWT.MouseUp, elsewhere);
            });
            ui.waitFor("the clicked URL goes to the link handler", () -> List.copyOf(launched),
                    urls -> !urls.isEmpty(), TIMEOUT);
            assertEquals(List.of("https://example.org/x"), launched);

            // bob answers: it appears in alice's transcript
            assertEquals(List.of("delivered alice"), bob.run("chat:send alice hi alice, got both", TIMEOUT));
            ui.waitFor("bob's answer in the transcript", () -> ((StyledText) ui.find("conversation.transcript.bob")).getText(),
                    text -> text.contains("bob: hi alice, got both\n"), TIMEOUT);
            ui.screenshot("03-conversation");

            // stopping the views bundle removes its views; starting it brings them back, populated
            Bundle views = bundle("peerchat.ui.chat");
            views.stop();
            List<String> remaining = ui.waitFor("its views are gone", () -> tabTitles(ui),
                    titles -> !titles.contains("Roster") && !titles.contains("Conversations"), TIMEOUT);
            assertEquals("the other bundle's views stay", List.of("Plugins", "Preferences", "Server"),
                    remaining.stream().sorted().toList());
            ui.screenshot("04-views-stopped");
            views.start();
            ui.waitFor("the views are back", () -> tabTitles(ui),
                    titles -> titles.containsAll(List.of("Roster", "Conversations")), TIMEOUT);
            assertEquals(List.of("alice (you)", "bob"), ui.onUi(() -> rosterNames(ui)));
            ui.waitFor("the open conversation is restored, with its history",
                    () -> ui.find("conversation.transcript.bob") instanceof StyledText text ? text.getText() : "",
                    text -> text.contains("bob: hi alice, got both"), TIMEOUT);
            ui.waitFor("the rebuilt Roster view shows alice's presence", () -> ((Combo) ui.find("roster.presence")).getText()
                    + " " + ((Text) ui.find("roster.status")).getText(), text -> text.equals("Away in a meeting"), TIMEOUT);
            ui.screenshot("05-views-restarted");

            // several selected + "Message selected": one group conversation, outcome per recipient
            ui.onUi(() -> {
                Table table = (Table) ui.find("roster.table");
                table.selectAll();
                table.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
                ui.find("roster.message").notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
            });
            ui.waitFor("a group tab", () -> ui.find("conversation.input.group:alice,bob") != null, open -> open, TIMEOUT);
            ui.onUi(() -> {
                ((Text) ui.find("conversation.input.group:alice,bob")).setText("to both of us");
                ui.find("conversation.send.group:alice,bob").notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
            });
            String group = ui.waitFor("each recipient's outcome in the group tab",
                    () -> ((StyledText) ui.find("conversation.transcript.group:alice,bob")).getText(),
                    text -> text.contains("alice: ✓ delivered") && text.contains("bob: ✓ delivered"), TIMEOUT);
            assertTrue(group, group.startsWith("→ alice, bob: to both of us\n"));
            bob.runUntil("chat:history alice", lines -> lines.size() == 4, TIMEOUT);
            ui.screenshot("05b-group");

            // the Server view shows both clients and the logins
            show(ui, "peerchat.server");
            ui.waitFor("the Server view lists both clients", () -> List.of(((org.eclipse.swt.widgets.List) ui.find("server.clients")).getItems()),
                    clients -> clients.equals(List.of("alice", "bob")), TIMEOUT);
            ui.waitFor("the server log shows bob's login", () -> String.join("\n", ((org.eclipse.swt.widgets.List) ui.find("server.log")).getItems()),
                    log -> log.contains("bob logged in"), TIMEOUT);
            ui.screenshot("06-server");

            // bob leaves: the roster and the server view follow
            assertEquals(0, bob.endInput(TIMEOUT));
            // he stays listed as a contact, offline, with when he was last seen
            ui.waitFor("bob is offline in the roster", () -> rosterStatus(ui, "bob"),
                    row -> row.startsWith("offline — last seen"), TIMEOUT);
            ui.waitFor("the server log shows bob's logout", () -> String.join("\n", ((org.eclipse.swt.widgets.List) ui.find("server.log")).getItems()),
                    log -> log.contains("bob logged out"), TIMEOUT);
            ui.screenshot("07-bob-left");
        }

        // a message to a contact who left waits in the outbox: queued in the transcript
        ui.onUi(() -> {
            ((Text) ui.find("conversation.input.bob")).setText("are you still there?");
            ui.find("conversation.send.bob").notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        });
        ui.waitFor("the queued message in the transcript", () -> ((StyledText) ui.find("conversation.transcript.bob")).getText(),
                text -> text.lines().anyMatch(line -> line.contains("alice: are you still there?")
                        && line.endsWith("◷ queued")), TIMEOUT);
        assertEquals("", ui.onUi(() -> ((Text) ui.find("conversation.input.bob")).getText()));

        // the Server view stops and starts the embedded server of this workbench
        ui.onUi(() -> ui.find("server.stop").notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event()));
        ui.waitFor("the server stopped", () -> ((Label) ui.find("server.state")).getText(),
                text -> text.equals("Stopped"), TIMEOUT);
        ui.onUi(() -> {
            ((Text) ui.find("server.port")).setText("0");
            ui.find("server.start").notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        });
        ui.waitFor("the server runs", () -> ((Label) ui.find("server.state")).getText(),
                text -> text.startsWith("Running on "), TIMEOUT);
        ui.waitFor("the status bar shows the server", () -> ((Label) ui.find("status.server")).getText(),
                text -> text.startsWith("server 0.0.0.0:") || text.startsWith("server [") , TIMEOUT);
        ui.screenshot("08-server-restarted");

        // the Plugins view lists the bundles and what they contribute
        show(ui, "peerchat.plugins");
        String row = ui.waitFor("the views bundle and its views are listed", () -> {
            for (TableItem item : ((Table) ui.find("plugins.table")).getItems()) {
                if (item.getText(1).equals("peerchat.ui.chat")) {
                    return item.getText(3) + " " + item.getText(4);
                }
            }
            return "";
        }, text -> text.contains("views: peerchat.conversations, peerchat.roster"), TIMEOUT);
        assertTrue(row, row.startsWith("active "));
        ui.screenshot("09-plugins");
        installUpdateStopStartUninstall(ui, itestData);

        // Preferences come from the metatype and write through ConfigAdmin
        show(ui, "peerchat.preferences");
        ui.waitFor("the workbench's settings are offered", () -> List.of(((Combo) ui.find("preferences.component")).getItems()),
                items -> items.stream().anyMatch(item -> item.contains("(peerchat.ui.workbench)")), TIMEOUT);
        ui.onUi(() -> {
            Combo chooser = (Combo) ui.find("preferences.component");
            String[] items = chooser.getItems();
            for (int i = 0; i < items.length; i++) {
                if (items[i].contains("(peerchat.ui.workbench)")) {
                    chooser.select(i);
                    chooser.notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
                }
            }
        });
        ui.waitFor("the form for the workbench", () -> ui.find("preferences.peerchat.ui.workbench.server") != null,
                found -> found, TIMEOUT);
        ui.onUi(() -> {
            ((Text) ui.find("preferences.peerchat.ui.workbench.server")).setText("127.0.0.1:5999");
            ui.find("preferences.apply").notifyListeners(SWT.Selection, new org.eclipse.swt.widgets.Event());
        });
        ui.waitFor("applied", () -> ((Label) ui.find("preferences.message")).getText(),
                text -> text.startsWith("Applied to peerchat.ui.workbench"), TIMEOUT);
        ui.screenshot("10-preferences");
        assertEquals("127.0.0.1:5999", configuration("peerchat.ui.workbench").get("server"));
        synchronized (problems) {
            assertEquals("warnings or errors logged by the UI bundles", List.of(), problems);
        }
    }

    /**
     * The Plugins view's buttons on a bundle the test writes: Install… (the view's file-chooser seam
     * answers instead of the native dialog), Update (the jar at the same location, newer version), Stop,
     * Start, Uninstall; each seen in the table and in the framework. SWT itself is refused.
     */
    private void installUpdateStopStartUninstall(UiDriver ui, Path itestData) throws Exception {
        Path jar = java.nio.file.Files.createTempDirectory(itestData, "plugins-").resolve("sample.jar");
        writeBundle(jar, "1.0.0");
        ui.onUi(() -> ui.find("plugins.install").setData("peerchat.fileChooser", (Supplier<String>) jar::toString));
        click(ui, "plugins.install");
        ui.waitFor("the sample is installed and started", () -> pluginRow(ui, SAMPLE), row -> row.equals("active 1.0.0"), TIMEOUT);
        ui.waitFor("the outcome", () -> ((Label) ui.find("plugins.message")).getText(),
                text -> text.equals("install sample.jar: done"), TIMEOUT);
        assertEquals(Bundle.ACTIVE, bundle(SAMPLE).getState());
        assertEquals(jar.toFile().toURI().toString(), bundle(SAMPLE).getLocation());
        ui.waitFor("the new bundle's row is selected", () -> {
            Table table = (Table) ui.find("plugins.table");
            return table.getSelectionCount() == 1 ? table.getSelection()[0].getText(1) : "";
        }, SAMPLE::equals, TIMEOUT);
        ui.screenshot("09b-plugins-installed");

        writeBundle(jar, "1.1.0");
        selectPlugin(ui, SAMPLE);
        click(ui, "plugins.update");
        ui.waitFor("the sample is updated", () -> pluginRow(ui, SAMPLE), row -> row.equals("active 1.1.0"), TIMEOUT);
        assertEquals("1.1.0", bundle(SAMPLE).getVersion().toString());
        assertEquals(Bundle.ACTIVE, bundle(SAMPLE).getState());

        selectPlugin(ui, SAMPLE);
        click(ui, "plugins.stop");
        ui.waitFor("the sample is stopped", () -> pluginRow(ui, SAMPLE), row -> row.equals("resolved 1.1.0"), TIMEOUT);
        assertEquals(Bundle.RESOLVED, bundle(SAMPLE).getState());
        ui.screenshot("09c-plugins-stopped");

        selectPlugin(ui, SAMPLE);
        click(ui, "plugins.start");
        ui.waitFor("the sample is started", () -> pluginRow(ui, SAMPLE), row -> row.equals("active 1.1.0"), TIMEOUT);
        assertEquals(Bundle.ACTIVE, bundle(SAMPLE).getState());

        selectPlugin(ui, SAMPLE);
        long id = bundle(SAMPLE).getBundleId();
        click(ui, "plugins.uninstall");
        ui.waitFor("the sample is gone from the table", () -> pluginRow(ui, SAMPLE), row -> row.isEmpty(), TIMEOUT);
        assertEquals("uninstalled from the framework", null, context.getBundle(id));
        ui.waitFor("the outcome", () -> ((Label) ui.find("plugins.message")).getText(),
                text -> text.equals("Uninstall " + SAMPLE + ": done"), TIMEOUT);

        // SWT cannot be stopped while the workbench runs: the view says so and does nothing
        selectPlugin(ui, "org.eclipse.swt");
        click(ui, "plugins.stop");
        ui.waitFor("the refusal", () -> ((Label) ui.find("plugins.message")).getText(),
                text -> text.startsWith("SWT cannot be stopped"), TIMEOUT);
        assertEquals(Bundle.ACTIVE, bundle("org.eclipse.swt").getState());
        ui.screenshot("09d-plugins-swt-refused");
    }

    /** A bundle without code: a manifest with the symbolic name and this version, and one resource. */
    private static void writeBundle(Path jar, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", SAMPLE);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "Plugins view test bundle");
        Path written = jar.resolveSibling(jar.getFileName() + ".part");
        try (JarOutputStream out = new JarOutputStream(java.nio.file.Files.newOutputStream(written), manifest)) {
            out.putNextEntry(new JarEntry("peerchat/itests/sample/version.txt"));
            out.write(version.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        java.nio.file.Files.move(written, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** UI thread: "STATE VERSION" of a bundle in the Plugins table, "" when it is not listed. */
    private static String pluginRow(UiDriver ui, String symbolicName) {
        for (TableItem item : ((Table) ui.find("plugins.table")).getItems()) {
            if (item.getText(1).equals(symbolicName)) {
                return item.getText(3) + " " + item.getText(2);
            }
        }
        return "";
    }

    /**
     * Selects a bundle's row in the Plugins table as a click does (selection, then the Selection event),
     * and checks the buttons follow. (SWT's {@code Display.post} on GTK only synthesizes mouse buttons into
     * the focused window, without the pointer's position, so rows are not chosen by posted clicks.)
     */
    private static void selectPlugin(UiDriver ui, String symbolicName) {
        ui.onUi(() -> {
            Table table = (Table) ui.find("plugins.table");
            for (TableItem item : table.getItems()) {
                if (item.getText(1).equals(symbolicName)) {
                    table.setSelection(item);
                    table.showItem(item);
                    table.notifyListeners(SWT.Selection, new Event());
                    assertTrue("Stop is enabled for " + symbolicName, ((Button) ui.find("plugins.stop")).isEnabled());
                    return;
                }
            }
            throw new AssertionError("no row for " + symbolicName);
        });
    }

    /** Presses a button (its Selection event, as a click gives); it must be enabled. */
    private static void click(UiDriver ui, String id) {
        ui.onUi(() -> {
            Button button = (Button) ui.find(id);
            assertNotNull("a button " + id, button);
            assertTrue(id + " is enabled", button.isEnabled());
            button.notifyListeners(SWT.Selection, new Event());
        });
        ui.flush();
    }

    /** UI thread: the status column of a roster row, "" when the row is not there. */
    private static String rosterStatus(UiDriver ui, String name) {
        for (TableItem item : ((Table) ui.find("roster.table")).getItems()) {
            if (item.getText(0).equals(name)) {
                return item.getText(1);
            }
        }
        return "";
    }

    /** Offers a dedicated thread as the launcher's main thread; the workbench opens its window on it. */
    private UiDriver startWorkbench() throws InterruptedException {
        uiThread = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "ui-main"));
        Hashtable<String, Object> properties = new Hashtable<>(Map.of("peerchat.thread", "main"));
        mainThread = context.registerService(java.util.concurrent.Executor.class, uiThread, properties);
        ServiceTracker<UiExecutor, UiExecutor> tracker = new ServiceTracker<>(context, UiExecutor.class, null);
        tracker.open();
        try {
            assertNotNull("the workbench registers its UiExecutor", tracker.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT)));
        } finally {
            tracker.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT);
        Display display = null;
        while (display == null && System.nanoTime() < deadline) {
            display = Display.findDisplay(threadNamed("ui-main"));
            if (display == null) {
                Thread.sleep(50);
            }
        }
        assertNotNull("the workbench created its display on the thread it was given", display);
        Path screenshots = Path.of(System.getProperty("peerchat.screenshots", "target/screenshots"));
        if (java.nio.file.Files.isDirectory(screenshots)) {
            // only this run's pictures stay
            try (var old = java.nio.file.Files.list(screenshots)) {
                for (Path file : old.filter(f -> f.toString().endsWith(".png")).toList()) {
                    java.nio.file.Files.delete(file);
                }
            } catch (IOException e) {
                throw new AssertionError("cannot clear " + screenshots + ": " + e.getMessage(), e);
            }
        }
        UiDriver ui = new UiDriver(display, screenshots);
        ui.waitFor("the Connect dialog opens on first start", () -> ui.find("connect.name") != null, open -> open, TIMEOUT);
        ui.waitFor("the workbench window is visible", () -> {
            for (Shell shell : Display.getCurrent().getShells()) {
                if ("workbench.shell".equals(shell.getData(UiDriver.WIDGET_ID)) && shell.isVisible()) {
                    return true;
                }
            }
            return false;
        }, visible -> visible, TIMEOUT);
        return ui;
    }

    /** Selects the tab of a view. */
    private static void show(UiDriver ui, String viewId) {
        ui.onUi(() -> {
            CTabItem item = (CTabItem) ui.find("tab." + viewId);
            assertNotNull("a tab for view " + viewId, item);
            item.getParent().setSelection(item);
        });
        ui.flush();
    }

    private java.util.Dictionary<String, Object> configuration(String pid) throws IOException {
        var reference = context.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class);
        var admin = context.getService(reference);
        try {
            return admin.getConfiguration(pid, "?").getProperties();
        } finally {
            context.ungetService(reference);
        }
    }

    private static Thread threadNamed(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return thread;
            }
        }
        return null;
    }

    /** UI thread: the names in the roster table, in order. */
    private static List<String> rosterNames(UiDriver ui) {
        Table table = (Table) ui.find("roster.table");
        List<String> names = new ArrayList<>();
        if (table != null) {
            for (TableItem item : table.getItems()) {
                names.add(item.getText(0));
            }
        }
        return names;
    }

    /** UI thread: the tab titles of all workbench areas. */
    private static List<String> tabTitles(UiDriver ui) {
        List<String> titles = new ArrayList<>();
        for (String area : List.of("area.left", "area.center", "area.bottom")) {
            CTabFolder folder = (CTabFolder) ui.find(area);
            for (CTabItem item : folder.getItems()) {
                titles.add(item.getText());
            }
        }
        return titles;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Collects WARN and worse from our UI bundles while the test runs. */
    private void watchLog() throws InterruptedException {
        logReader = new ServiceTracker<>(context, LogReaderService.class, null);
        logReader.open();
        LogReaderService reader = logReader.waitForService(TimeUnit.SECONDS.toMillis(TIMEOUT));
        assertNotNull("a LogReaderService (felix.log)", reader);
        logListener = (LogEntry entry) -> {
            String source = entry.getBundle() == null ? "" : entry.getBundle().getSymbolicName();
            if (source != null && source.startsWith("peerchat.ui") && LogLevel.WARN.implies(entry.getLogLevel())) {
                synchronized (problems) {
                    problems.add(source + ": " + entry.getMessage()
                            + (entry.getException() == null ? "" : " " + entry.getException()));
                }
            }
        };
        reader.addLogListener(logListener);
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
