package peerchat.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code bin/peerchat}: parses the command line, checks ports and the data directory, then runs an
 * embedded Felix with the requested features until it stops. stdout belongs to the Gogo shell; the
 * launcher itself writes only one-line messages to stderr (and {@code --help} to stdout).
 */
public final class Main {

    static final int OK = 0;
    static final int CANNOT_START = 1;
    static final int USAGE = 2;
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final PrintStream out;
    private final PrintStream err;
    private final Path userHome;
    /** Null: found at run time (see {@link Distribution#locate()}); tests pass their own. */
    private final Distribution distribution;
    /** Environment variables (tests pass their own). */
    private final java.util.function.UnaryOperator<String> environment;
    static final String WORKBENCH = "peerchat.ui.workbench";
    /** The Gogo console bundle of the shell feature: the one that reads stdin. */
    static final String CONSOLE = "org.apache.felix.gogo.jline";

    Main(PrintStream out, PrintStream err, Path userHome, Distribution distribution) {
        this(out, err, userHome, distribution, System::getenv);
    }

    Main(PrintStream out, PrintStream err, Path userHome, Distribution distribution,
            java.util.function.UnaryOperator<String> environment) {
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.userHome = userHome;
        this.distribution = distribution;
    }

    public static void main(String[] args) {
        int status = new Main(System.out, System.err, Path.of(System.getProperty("user.home")), null).run(args);
        System.exit(status);
    }

    int run(String... args) {
        try {
            Options options = new OptionParser(userHome).parse(List.of(args));
            if (options.help()) {
                out.print(Usage.text());
                out.flush();
                return OK;
            }
            Distribution distribution = this.distribution != null ? this.distribution : Distribution.locate();
            FeatureCatalog catalog = new FeatureCatalog(distribution.featuresDirectory(), distribution.systemDirectory());
            catalog.checkKnown(options.features());
            List<RuntimeBundle> bundles = catalog.bundlesOf(options.features());
            Preflight.check(options);
            checkDisplay(options, bundles);
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(options.data())) {
                return runUntilStopped(options, distribution, bundles);
            }
        } catch (UsageException e) {
            err.println("peerchat: " + e.getMessage() + " (see --help)");
            return USAGE;
        } catch (StartupException e) {
            err.println("peerchat: " + e.getMessage());
            return CANNOT_START;
        } catch (IOException e) {
            err.println("peerchat: cannot release the data directory lock: " + Messages.describe(e));
            return CANNOT_START;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("peerchat: interrupted");
            return CANNOT_START;
        }
    }

    /** The workbench needs a screen: without one, say so now rather than after booting. */
    private void checkDisplay(Options options, List<RuntimeBundle> bundles) throws StartupException {
        boolean window = options.mode() == Mode.UI && bundles.stream().anyMatch(b -> b.artifactId().equals(WORKBENCH));
        if (window && isBlank(environment.apply("DISPLAY")) && isBlank(environment.apply("WAYLAND_DISPLAY"))) {
            throw new StartupException("no display for the workbench window (DISPLAY is not set); "
                    + "use --headless or --daemon, or start Xvfb and set DISPLAY");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private int runUntilStopped(Options options, Distribution distribution, List<RuntimeBundle> bundles)
            throws InterruptedException {
        if (options.mode() == Mode.UI && bundles.stream().noneMatch(b -> b.artifactId().equals(WORKBENCH))) {
            err.println("peerchat: no ui among the features " + String.join(",", options.features())
                    + ", so no window; stop with Ctrl-C or SIGTERM");
        }
        if (options.mode() == Mode.HEADLESS && bundles.stream().noneMatch(b -> b.artifactId().equals(CONSOLE))) {
            err.println("peerchat: no shell among the features " + String.join(",", options.features())
                    + ", so no console; stop with Ctrl-C or SIGTERM");
        }
        PeerchatRuntime runtime = new PeerchatRuntime(options, distribution, bundles, err);
        // installed before booting, so Ctrl-C or SIGTERM during startup also stops cleanly
        Thread hook = new Thread(() -> stopAndHalt(runtime), "peerchat-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (runtime.usesMainThread()) {
            return runWithWindow(runtime, hook);
        }
        try {
            runtime.start();
        } catch (StartupException e) {
            err.println("peerchat: " + e.getMessage());
            runtime.stop(STOP_TIMEOUT);
            return removed(hook) ? CANNOT_START : waitForHook();
        }
        runtime.awaitStop();
        return removed(hook) ? OK : waitForHook();
    }

    /**
     * Window mode: the framework boots on another thread while the main thread is already free for
     * the workbench, so SWT's display is created while the last bundles start. A failed start stops
     * the framework from the booting thread (that ends the event loop on the main thread).
     */
    private int runWithWindow(PeerchatRuntime runtime, Thread hook) throws InterruptedException {
        java.util.concurrent.atomic.AtomicReference<StartupException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        Thread booting = new Thread(() -> {
            try {
                runtime.start();
                started.set(true);
            } catch (StartupException e) {
                err.println("peerchat: " + e.getMessage());
                runtime.stop(STOP_TIMEOUT);
                failure.set(e);
            }
        }, "peerchat-start");
        booting.start();
        runtime.runMainThread(started::get, () -> failure.get() != null);
        booting.join();
        if (failure.get() != null) {
            return removed(hook) ? CANNOT_START : waitForHook();
        }
        runtime.awaitStop();
        return removed(hook) ? OK : waitForHook();
    }

    /** On SIGTERM/SIGINT: stop the framework (components log out, close sockets), then exit 0 if it stopped. */
    private void stopAndHalt(PeerchatRuntime runtime) {
        boolean stopped = runtime.stop(STOP_TIMEOUT);
        if (!stopped) {
            err.println("peerchat: the framework did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
        }
        System.out.flush();
        err.flush();
        // a signal would otherwise end the JVM with 128+signal; a clean stop is a normal shutdown
        Runtime.getRuntime().halt(stopped ? OK : CANNOT_START);
    }

    /** False when the JVM is already shutting down, i.e. the hook is running and will end the process. */
    private static boolean removed(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    /** The shutdown hook decides the exit status; this thread only waits for it. */
    private static int waitForHook() throws InterruptedException {
        Thread.sleep(STOP_TIMEOUT.plusSeconds(5).toMillis());
        return CANNOT_START;
    }
}
