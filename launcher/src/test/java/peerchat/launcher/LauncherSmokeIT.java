package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.testing.PeerProcess;

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
    public void withoutALocaleTheShellStillReadsAndWritesUtf8() throws Exception {
        Path data = folder.newFolder("nolocale").toPath();
        Peerchat peerchat = start(Map.of("LC_ALL", "", "LC_CTYPE", "", "LANG", ""), "--headless", "--data",
                data.toString(), "--features", "core,shell");
        try (OutputStream stdin = peerchat.process().getOutputStream()) {
            stdin.write("echo Grüße € 你好\n".getBytes(StandardCharsets.UTF_8));
        }
        assertExits(0, peerchat);
        assertTrue(peerchat.stdout(), peerchat.stdout().contains("g! Grüße € 你好\n"));
        assertEquals("", peerchat.stderr());
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

    /**
     * Users chat through the shell, so what they type must reach the commands as typed: the console
     * decodes its input with the locale's charset, UTF-8 here (gogo.shell turned every byte into one
     * Latin-1 char), and the roster server and back keep it intact.
     */
    @Test
    public void nonAsciiTextTypedIntoTheShellArrivesIntact() throws Exception {
        String text = "Grüße € 你好";
        String server = "127.0.0.1:" + freeTcpPort();
        try (PeerProcess alice = PeerProcess.start(home, "alice", "--server", server, "--connect", server,
                "--name", "alice", "--data", folder.newFolder("utf8").toString())) {
            assertEquals(List.of(text), alice.run("echo " + text, 30));
            // "!!" stays text: JLine's history expansion would put the previous command line there
            assertEquals(List.of("wow!! " + text), alice.run("echo wow!! " + text, 30));
            // The README's rule for chat text: double quotes, a backslash before ' % $ "
            assertEquals(List.of("it's 50% done, $5, are you there? see http://x #1"),
                    alice.run("echo \"it\\'s 50\\% done, \\$5, are you there? see http://x #1\"", 30));
            alice.runUntil("chat:roster", lines -> lines.size() == 1, 30);
            assertEquals(List.of("status away " + text), alice.run("chat:status away " + text, 30));
            List<String> roster = alice.run("chat:roster", 30);
            assertEquals(roster.toString(), 1, roster.size());
            assertTrue(roster.get(0), Pattern.matches("alice 127\\.0\\.0\\.1:\\d+ away \"" + text + "\"", roster.get(0)));
            assertEquals("clean exit at end of input", 0, alice.endInput(30));
            assertEquals("", alice.stderr());
        }
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
        // the transport starts at a later start level than the API: a SIGTERM before it started would leave
        // no STOPPED event to look for
        waitFor("the log file shows the transport started",
                () -> contains(log, "[peerchat.transport.udp] BundleEvent STARTED"));
        daemon.process().destroy(); // SIGTERM
        assertExits(0, daemon);
        assertTrue("bundles were stopped, not killed:\n" + Files.readString(log),
                contains(log, "[peerchat.transport.udp] BundleEvent STOPPED"));
        assertEquals("", daemon.stderr());
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
        return start(Map.of(), options);
    }

    /** {@code environment}: variables to set; an empty value removes the variable. */
    private Peerchat start(Map<String, String> environment, String... options) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/peerchat").toString());
        command.addAll(List.of(options));
        Path stdout = folder.newFile().toPath();
        Path stderr = folder.newFile().toPath();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        environment.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
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
