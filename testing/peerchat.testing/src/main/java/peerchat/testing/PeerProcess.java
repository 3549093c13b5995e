package peerchat.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One real {@code bin/peerchat --headless} process driven through its stdin pipe, as a user's script
 * would. Each command is followed by an {@code echo} marker so its output can be cut out of the stream.
 */
public final class PeerProcess implements AutoCloseable {

    /** Not an option: gogo.jline's {@code echo} takes options and refuses unknown ones. */
    private static final String MARK = "end-of-command-";

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private int commands;

    private PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(process.inputReader(StandardCharsets.UTF_8), stdout);
        pump(process.errorReader(StandardCharsets.UTF_8), stderr);
    }

    /** Starts {@code home/bin/peerchat --headless OPTIONS} and waits for its console (at most 60 s). */
    public static PeerProcess start(Path home, String name, String... options)
            throws IOException, InterruptedException {
        return start(home, name, java.util.Map.of(), options);
    }

    /** As {@link #start(Path, String, String...)}, with more environment (e.g. {@code PEERCHAT_JAVA_OPTS}). */
    public static PeerProcess start(Path home, String name, java.util.Map<String, String> environment,
            String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/peerchat").toString());
        command.add("--headless");
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command);
        String javaHome = System.getProperty("java.home");
        builder.environment().put("JAVA_HOME", javaHome);
        // the console decodes stdin with the locale's charset; the commands are written as UTF-8
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.environment().putAll(environment);
        PeerProcess peer = new PeerProcess(name, builder.start());
        peer.run("", 60); // swallows Gogo's banner: from here on, output belongs to our commands
        return peer;
    }

    private static void pump(BufferedReader reader, StringBuilder into) {
        Thread thread = new Thread(() -> {
            try (reader) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (into) {
                        into.append(line).append('\n');
                        into.notifyAll();
                    }
                }
            } catch (IOException e) {
                synchronized (into) {
                    into.append("[stream closed: ").append(e.getMessage()).append("]\n");
                    into.notifyAll();
                }
            }
        }, "pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs one Gogo command and returns its output lines (prompts removed). */
    public List<String> run(String command, long timeoutSeconds) throws IOException, InterruptedException {
        String mark = MARK + (++commands);
        int from;
        synchronized (stdout) {
            from = stdout.length();
        }
        stdin.write(command + "\n");
        stdin.write("echo " + mark + "\n");
        stdin.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (stdout) {
            while (stdout.indexOf(mark, from) < 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !process.isAlive() && stdout.indexOf(mark, from) < 0) {
                    throw new AssertionError(name + ": no answer to '" + command + "' within " + timeoutSeconds
                            + " s; alive=" + process.isAlive() + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr());
                }
                stdout.wait(Math.min(left, 200));
            }
            String output = stdout.substring(from, stdout.indexOf(mark, from));
            List<String> lines = new ArrayList<>();
            for (String line : output.split("\n")) {
                String text = line.replaceAll("^(g! )+", "").strip();
                if (!text.isEmpty() && !text.equals("echo " + mark.strip())) {
                    lines.add(text);
                }
            }
            return lines;
        }
    }

    /** Repeats a command until its output satisfies the check, or fails after the timeout. */
    public List<String> runUntil(String command, Predicate<List<String>> check, long timeoutSeconds)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<String> lines = run(command, timeoutSeconds);
        while (!check.test(lines)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": '" + command + "' never gave the expected output within "
                        + timeoutSeconds + " s; last output: " + lines + "\nstderr:\n" + stderr());
            }
            Thread.sleep(200);
            lines = run(command, timeoutSeconds);
        }
        return lines;
    }

    /** The process id (for {@code jcmd}). */
    public long pid() {
        return process.pid();
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** Closes stdin (end of input) and waits for the process to exit by itself. */
    public int endInput(long timeoutSeconds) throws IOException, InterruptedException {
        stdin.close();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeoutSeconds + " s after end of input");
        }
        return process.exitValue();
    }

    /** SIGKILL: no logout, no FIN from the application. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
