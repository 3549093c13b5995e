package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The built distribution's {@code bin/peerchat} as a real process: boot, refuse, lock, stop. */
public class LauncherSmokeIT {

    private static final long TIMEOUT_SECONDS = 30;

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
    public void headlessRunsPipedCommandsAndStopsAtEndOfInput() throws Exception {
        Path data = folder.newFolder("data").toPath();
        Peerchat peerchat = start("--headless", "--data", data.toString(), "--features", "core,shell");
        try (OutputStream stdin = peerchat.process().getOutputStream()) {
            stdin.write("lb -s\n".getBytes(StandardCharsets.UTF_8));
        }
        assertExits(0, peerchat);
        String stdout = peerchat.stdout();
        assertTrue(stdout, Pattern.compile("(?m)^\\s*\\d+\\|Active\\s*\\|\\s*\\d+\\|peerchat\\.api ").matcher(stdout).find());
        assertTrue(stdout, Pattern.compile("(?m)\\|Active\\s*\\|\\s*\\d+\\|peerchat\\.log\\.file ").matcher(stdout).find());
        assertEquals("", peerchat.stderr());
        assertTrue("framework storage kept in the data directory", Files.isDirectory(data.resolve("framework")));
        assertTrue(Files.isDirectory(data.resolve("plugins")));
    }

    @Test
    public void gogoUpdateWithoutAUrlReinstallsTheDistributionsJar() throws Exception {
        Path data = folder.newFolder("update").toPath();
        Peerchat peerchat = start("--headless", "--data", data.toString(), "--features", "core,shell");
        try (OutputStream stdin = peerchat.process().getOutputStream()) {
            stdin.write("update peerchat.chat.core\nlb -s peerchat.chat.core\n".getBytes(StandardCharsets.UTF_8));
        }
        assertExits(0, peerchat);
        assertEquals("", peerchat.stderr());
        String log = Files.readString(data.resolve("log/peerchat.log"));
        assertTrue(log, log.contains("[peerchat.chat.core] BundleEvent UPDATED"));
        assertTrue(peerchat.stdout(), Pattern.compile("(?m)\\|Active\\s*\\|\\s*\\d+\\|peerchat\\.chat\\.core ")
                .matcher(peerchat.stdout()).find());
    }

    @Test
    public void anUnknownOptionIsOneLineOnStderrAndStatus2() throws Exception {
        Peerchat peerchat = start("--bogus");
        assertExits(2, peerchat);
        assertEquals("peerchat: unknown option --bogus (see --help)\n", peerchat.stderr());
        assertEquals("", peerchat.stdout());
    }

    @Test
    public void aBusyUdpPortIsOneLineOnStderrAndStatus1() throws Exception {
        try (DatagramSocket busy = new DatagramSocket(new InetSocketAddress(0))) {
            Peerchat peerchat = start("--udp-port", "" + busy.getLocalPort(), "--data", folder.newFolder().toString());
            assertExits(1, peerchat);
            List<String> lines = peerchat.stderr().lines().toList();
            assertEquals(lines.toString(), 1, lines.size());
            assertTrue(lines.get(0), lines.get(0).startsWith("peerchat: UDP port " + busy.getLocalPort() + " is in use"));
        }
    }

    @Test
    public void aSecondInstanceOnTheSameDataDirectoryExits1() throws Exception {
        Path data = folder.newFolder("shared").toPath();
        Peerchat first = start("--headless", "--data", data.toString(), "--features", "core,shell");
        OutputStream firstInput = first.process().getOutputStream();
        firstInput.write("echo first-is-up\n".getBytes(StandardCharsets.UTF_8));
        firstInput.flush();
        waitFor("the first instance answers", () -> first.stdout().contains("first-is-up"));

        Peerchat second = start("--headless", "--data", data.toString(), "--features", "core,shell");
        assertExits(1, second);
        assertEquals("peerchat: data directory " + data + " is in use by another peerchat (pid " + first.process().pid()
                + ")\n", second.stderr());

        firstInput.close();
        assertExits(0, first);
    }

    @Test
    public void theDaemonStopsCleanlyOnSigterm() throws Exception {
        Path data = folder.newFolder("daemon").toPath();
        Peerchat daemon = start("--daemon", "--data", data.toString(), "--features", "core");
        Path log = data.resolve("log/peerchat.log");
        waitFor("the log file shows the API bundle started", () -> contains(log, "[peerchat.api] BundleEvent STARTED"));
        daemon.process().destroy(); // SIGTERM
        assertExits(0, daemon);
        assertTrue("bundles were stopped, not killed:\n" + Files.readString(log),
                contains(log, "[peerchat.transport.udp] BundleEvent STOPPED"));
        assertEquals("", daemon.stderr());
    }

    /** A started bin/peerchat; stdout and stderr go to files, which stay readable after the process ends. */
    private record Peerchat(Process process, Path stdoutFile, Path stderrFile) {

        String stdout() {
            return readQuietly(stdoutFile);
        }

        String stderr() {
            return readQuietly(stderrFile);
        }
    }

    private Peerchat start(String... options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/peerchat").toString());
        command.addAll(List.of(options));
        Path stdout = folder.newFile().toPath();
        Path stderr = folder.newFile().toPath();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        started.add(process);
        return new Peerchat(process, stdout, stderr);
    }

    private static void assertExits(int status, Peerchat peerchat) throws InterruptedException {
        Process process = peerchat.process();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + TIMEOUT_SECONDS + " s; stderr: " + peerchat.stderr());
        }
        assertEquals("exit status; stderr: " + peerchat.stderr(), status, process.exitValue());
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TIMEOUT_SECONDS + " s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static boolean contains(Path file, String text) {
        return readQuietly(file).contains(text);
    }

    /** The file's text; empty while it does not exist yet. */
    private static String readQuietly(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
