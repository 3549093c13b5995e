package peerchat.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.url.URLConstants;
import org.osgi.service.url.URLStreamHandlerService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One embedded Felix for one run: boots to start level 1 (infrastructure), writes the command line as
 * configuration, then raises the start level so our bundles start already configured.
 */
final class PeerchatRuntime {

    static final String CONFIGADMIN = "org.apache.felix.configadmin";
    private static final Duration SERVICE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final Options options;
    private final Distribution distribution;
    private final List<RuntimeBundle> bundles;
    private final PrintStream err;
    private volatile Framework framework;
    /** The main thread as a service for the workbench; null unless in UI mode. */
    private final MainThreadExecutor mainThread;

    PeerchatRuntime(Options options, Distribution distribution, List<RuntimeBundle> bundles, PrintStream err) {
        this.options = options;
        this.distribution = distribution;
        this.bundles = bundles;
        this.err = err;
        this.mainThread = options.mode() == Mode.UI
                ? new MainThreadExecutor(problem -> err.println("peerchat: a task on the main thread failed: "
                        + Messages.describe(problem)))
                : null;
    }

    void start() throws StartupException {
        Map<String, Object> properties = FrameworkProperties.of(options, distribution);
        properties.put("felix.log.logger", new StderrFrameworkLogger(err));
        try {
            Files.createDirectories(FrameworkProperties.plugins(options.data()));
        } catch (IOException e) {
            throw new StartupException("cannot create " + FrameworkProperties.plugins(options.data()) + ": "
                    + Messages.describe(e), e);
        }
        Framework felix = new Felix(properties);
        framework = felix;
        try {
            felix.init();
        } catch (BundleException | RuntimeException e) {
            throw new StartupException("cannot start the OSGi framework in " + FrameworkProperties.storage(options.data())
                    + ": " + Messages.describe(e), e);
        }
        BundleContext context = felix.getBundleContext();
        context.addFrameworkListener(new StartupReporter(err));
        context.registerService(URLStreamHandlerService.class, new DistributionUrlHandler(bundles),
                new Hashtable<>(Map.of(URLConstants.URL_HANDLER_PROTOCOL, new String[] {DistributionUrlHandler.PROTOCOL})));
        if (mainThread != null) {
            context.registerService(Executor.class, mainThread, new Hashtable<>(
                    Map.of(MainThreadExecutor.PROPERTY, MainThreadExecutor.MAIN, Constants.SERVICE_DESCRIPTION,
                            "the launcher's main thread (SWT's display and event loop run here)")));
        }

        List<Bundle> installed = reconcile(context);
        FrameworkWiring wiring = felix.adapt(FrameworkWiring.class);
        // everything is installed before anything resolves, so optional imports find their exporters
        wiring.resolveBundles(installed);
        markStarted(installed);
        try {
            felix.start();
        } catch (BundleException | RuntimeException e) {
            throw new StartupException("cannot start the OSGi framework: " + Messages.describe(e), e);
        }
        configure(context);
        raiseStartLevel(felix, FeatureCatalog.highestStartLevel(bundles));
    }

    private List<Bundle> reconcile(BundleContext context) throws StartupException {
        BundleReconciler.Outcome outcome;
        try {
            InstalledDigests digests = InstalledDigests.load(
                    FrameworkProperties.storage(options.data()).resolve(InstalledDigests.FILE_NAME));
            outcome = new BundleReconciler(context, digests).reconcile(bundles);
        } catch (IOException e) {
            throw new StartupException("cannot install the bundles: " + Messages.describe(e), e);
        }
        outcome.problems().forEach(problem -> err.println("peerchat: " + problem));
        if (!outcome.changed().isEmpty()) {
            refresh(framework.adapt(FrameworkWiring.class), outcome.changed());
        }
        return outcome.bundles();
    }

    /** Drops the old revisions of updated and uninstalled bundles. */
    private void refresh(FrameworkWiring wiring, List<Bundle> changed) throws StartupException {
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(changed, event -> done.countDown());
        await(done, "refreshing updated bundles");
    }

    /** Persistently started: each starts when the framework reaches its start level. */
    private void markStarted(List<Bundle> installed) {
        for (Bundle bundle : installed) {
            if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                err.println(StartupReporter.describe(bundle, e));
            }
        }
    }

    /** Writes the command line's configuration through ConfigAdmin, when the features include it. */
    private void configure(BundleContext context) throws StartupException {
        if (bundles.stream().noneMatch(bundle -> bundle.artifactId().equals(CONFIGADMIN))) {
            return;
        }
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker = new ServiceTracker<>(context,
                ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin admin = tracker.waitForService(SERVICE_TIMEOUT.toMillis());
            if (admin == null) {
                err.println("peerchat: " + noConfigurationAdmin(context) + "; the command line options are not applied");
                return;
            }
            ConfigurationWriter.write(admin, ConfigurationWriter.settings(options));
        } catch (IOException e) {
            throw new StartupException("cannot write the configuration: " + Messages.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while waiting for ConfigurationAdmin", e);
        } finally {
            tracker.close();
        }
    }

    /** Why no usable ConfigurationAdmin: none at all, or one wired to its own copy of the API. */
    private static String noConfigurationAdmin(BundleContext context) {
        try {
            ServiceReference<?>[] any = context.getAllServiceReferences(ConfigurationAdmin.class.getName(), null);
            return any == null
                    ? "ConfigurationAdmin did not appear within " + SERVICE_TIMEOUT.toSeconds() + " s"
                    : "ConfigurationAdmin does not use the launcher's org.osgi.service.cm package";
        } catch (org.osgi.framework.InvalidSyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void raiseStartLevel(Framework felix, int level) throws StartupException {
        CountDownLatch done = new CountDownLatch(1);
        felix.adapt(FrameworkStartLevel.class).setStartLevel(level, event -> done.countDown());
        await(done, "starting the bundles");
    }

    /** Waits for a framework step, giving up early if the framework is stopping (e.g. end of input). */
    private void await(CountDownLatch done, String step) throws StartupException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        try {
            while (!done.await(200, TimeUnit.MILLISECONDS)) {
                int state = framework.getState();
                if (state != Bundle.ACTIVE && state != Bundle.STARTING) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new StartupException("timed out after " + STEP_TIMEOUT.toSeconds() + " s " + step);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while " + step, e);
        }
    }

    /**
     * Blocks until the framework has stopped (end of input in the shell, {@code stop 0}, the window
     * closed, or {@link #stop}). In UI mode the calling (main) thread meanwhile runs the tasks bundles
     * hand to it: the workbench's event loop.
     */
    void awaitStop() throws InterruptedException {
        Framework running = framework;
        if (running != null) {
            running.waitForStop(0);
        }
    }

    /** Whether this runtime offers the main thread to the bundles (window mode). */
    boolean usesMainThread() {
        return mainThread != null;
    }

    /**
     * Window mode, on the main thread: runs the tasks bundles hand to it (the workbench's event loop)
     * from the moment the framework exists until {@code startFailed} says the start failed, or the
     * framework has started and stopped again.
     */
    void runMainThread(java.util.function.BooleanSupplier started, java.util.function.BooleanSupplier startFailed)
            throws InterruptedException {
        mainThread.runUntil(() -> {
            if (startFailed.getAsBoolean()) {
                return true;
            }
            Framework running = framework;
            if (running == null || !started.getAsBoolean()) {
                return false;
            }
            int state = running.getState();
            return state != Bundle.ACTIVE && state != Bundle.STARTING && state != Bundle.STOPPING;
        });
    }

    /** @return whether the framework is stopped (or was never started) within the timeout */
    boolean stop(Duration timeout) {
        Framework running = framework;
        if (running == null) {
            return true;
        }
        try {
            running.stop();
            FrameworkEvent event = running.waitForStop(timeout.toMillis());
            return event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
        } catch (BundleException e) {
            err.println("peerchat: cannot stop the framework: " + Messages.describe(e));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
