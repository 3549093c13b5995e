package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code bin/peerchat} without --headless or --daemon: the workbench window. Needs an X server
 * (DISPLAY, e.g. Xvfb in CI); skipped without one unless {@code peerchat.ui.required=true}.
 * Also measures the startup time (JVM uptime when the window is shown and when the first roster is
 * painted) and writes it to {@code target/ui-startup.txt}.
 */
public class UiLauncherIT {

    private static final long TIMEOUT_SECONDS = 30;
    private static final Pattern WINDOW = Pattern.compile("workbench window open with (\\d+) views after (\\d+) ms of JVM uptime");
    private static final Pattern ROSTER = Pattern.compile("first roster painted \\((\\d+) users\\) after (\\d+) ms of JVM uptime");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final Path home = Path.of(System.getProperty("peerchat.home", "target/peerchat"));
    private final List<Process> started = new ArrayList<>();

    @After
    public void killLeftovers() throws InterruptedException {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    public void withoutADisplayTheWindowModeIsOneLineAndStatus1() throws Exception {
        Path err = folder.newFile().toPath();
        ProcessBuilder builder = builder("--data", folder.newFolder().toString()).redirectError(err.toFile());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        Process process = start(builder);
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue());
        assertEquals("peerchat: no display for the workbench window (DISPLAY is not set); use --headless or --daemon, "
                + "or start Xvfb and set DISPLAY\n", Files.readString(err));
    }

    @Test
    public void theWindowOpensWithAnEmbeddedServerAndStopsCleanlyOnSigterm() throws Exception {
        String display = System.getenv("DISPLAY");
        if (!Boolean.getBoolean("peerchat.ui.required")) {
            assumeTrue("no DISPLAY: start Xvfb :99 and set DISPLAY=:99 to run the window test",
                    display != null && !display.isBlank());
        }
        Path data = folder.newFolder("alice").toPath();
        Path err = folder.newFile().toPath();
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long begin = System.nanoTime();
        Process process = start(builder("--server", "127.0.0.1:" + port, "--name", "alice", "--data", data.toString())
                .redirectError(err.toFile()).redirectOutput(folder.newFile().toPath().toFile()));
        Path log = data.resolve("log/peerchat.log");
        waitForLog(log, WINDOW, process);
        String text = waitForLog(log, ROSTER, process);
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        Matcher window = WINDOW.matcher(text);
        assertTrue(text, window.find());
        Matcher roster = ROSTER.matcher(text);
        assertTrue(text, roster.find());
        assertTrue("the views were there when the window opened: " + window.group(), Integer.parseInt(window.group(1)) >= 2);
        Files.writeString(Path.of(System.getProperty("peerchat.home", "target/peerchat")).resolveSibling("ui-startup.txt"),
                "window shown after " + window.group(2) + " ms of JVM uptime\nfirst roster painted after "
                        + roster.group(2) + " ms of JVM uptime\nlog line seen " + wall
                        + " ms after the process was started (bin/peerchat script and JVM start included; polled every 100 ms)\n");

        process.destroy(); // SIGTERM
        assertTrue("stops within " + TIMEOUT_SECONDS + " s", process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals("stderr: " + Files.readString(err), 0, process.exitValue());
        String after = Files.readString(log);
        assertTrue(after, after.contains("[peerchat.ui.workbench] BundleEvent STOPPED"));
        assertFalse("no errors from the UI bundles:\n" + after, Pattern.compile("(ERROR|WARN) +\\[peerchat\\.ui").matcher(after).find());
        assertFalse("the launcher reported nothing: " + Files.readString(err), Files.readString(err).contains("peerchat:"));
        Path layout;
        try (var files = Files.find(data.resolve("framework"), 4, (file, attributes) -> file.endsWith("window.properties"))) {
            layout = files.findFirst().orElseThrow(() -> new AssertionError("no window.properties saved at stop"));
        }
        String remembered = Files.readString(layout);
        assertTrue(remembered, remembered.contains("selected.LEFT=peerchat.roster"));
        assertTrue(remembered, Pattern.compile("(?m)^columns=\\d+,\\d+$").matcher(remembered).find());
    }

    private ProcessBuilder builder(String... options) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/peerchat").toString());
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return builder;
    }

    private Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static String waitForLog(Path log, Pattern pattern, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            String text = Files.isRegularFile(log) ? Files.readString(log) : "";
            if (pattern.matcher(text).find()) {
                return text;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("not in the log within " + TIMEOUT_SECONDS + " s (alive " + process.isAlive()
                        + "): " + pattern + "\n" + text);
            }
            Thread.sleep(100);
        }
    }
}
