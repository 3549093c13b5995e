package peerchat.ui.workbench.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.swt.SWTError;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.chat.ChatService;
import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.ServerInfo;
import peerchat.api.roster.RosterClient;
import peerchat.api.server.RosterServer;
import peerchat.api.transport.MessageTransport;
import peerchat.ui.api.UiExecutor;
import peerchat.ui.api.ViewContribution;

/**
 * The workbench: creates the SWT {@link Display} on the thread the launcher hands over (an
 * {@link Executor} service with {@code peerchat.thread=main}), runs the event loop there until this
 * component is deactivated, shows every {@link ViewContribution} service, and offers the
 * {@link UiExecutor} to the views. The executor is registered by hand, not as this component's
 * service: views need it and this component needs the views, and a DS service here would make that a
 * cycle (SCR reports "getService() resulted in a cycle" when a views bundle starts).
 */
@Component(service = {}, immediate = true, configurationPid = WorkbenchComponent.PID)
@Designate(ocd = WorkbenchConfig.class)
public class WorkbenchComponent implements WorkbenchActions {

    static final String PID = "peerchat.ui.workbench";
    static final String MAIN_THREAD = "(peerchat.thread=main)";
    static final long STATUS_PERIOD_MILLIS = 500;
    static final long VIEW_REMOVAL_TIMEOUT_MILLIS = 5_000;
    static final long STOP_TIMEOUT_MILLIS = 10_000;
    static final long CONNECT_TIMEOUT_SECONDS = 15;
    static final String LAYOUT_FILE = "window.properties";
    static final String TRANSPORT_PID = "peerchat.transport.udp";
    static final long REBIND_TIMEOUT_SECONDS = 5;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(target = MAIN_THREAD)
    private Executor mainThread;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterClient roster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MessageTransport transport;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterServer server;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configurationAdmin;

    /** Only for the status bar: whether messages can be stored ({@link ChatService#storeFault()}). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChatService chat;

    private final UiThread ui = new UiThread(this::problem);
    private final List<ViewContribution> views = new CopyOnWriteArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean loopStarted;
    private volatile WorkbenchConfig config;
    private BundleContext context;
    private ServiceRegistration<UiExecutor> executorRegistration;
    private ScheduledExecutorService background;
    /** UI thread only. */
    private WorkbenchWindow window;
    private Status shown;
    /** Read at activation, applied when the window opens. */
    private volatile Layout layout = Layout.NONE;
    /** Captured on the UI thread as the window closes, written at deactivation. */
    private volatile Layout layoutToSave;

    @Activate
    void activate(BundleContext context, WorkbenchConfig config) {
        this.context = context;
        this.config = config;
        background = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "peerchat-ui-background");
            thread.setDaemon(true);
            return thread;
        });
        layout = loadLayout();
        executorRegistration = context.registerService(UiExecutor.class, ui, null);
        mainThread.execute(this::runEventLoop);
    }

    @Modified
    void modified(WorkbenchConfig config) {
        // only remembered choices live here; the window stays as it is
        this.config = config;
    }

    @Deactivate
    void deactivate() {
        // the layout as the user left it, before the views go away with the executor
        ui.runAndWait(() -> {
            if (window != null && !window.isDisposed()) {
                layoutToSave = window.layout();
            }
        }, VIEW_REMOVAL_TIMEOUT_MILLIS);
        try {
            executorRegistration.unregister(); // the views go first, while the event loop still runs
        } catch (IllegalStateException alreadyUnregistered) {
            logger.debug("UI executor already unregistered");
        }
        stopping = true;
        ui.close();
        Display display = ui.display();
        if (display != null) {
            try {
                display.wake();
            } catch (SWTException alreadyDisposed) {
                logger.debug("display already disposed at deactivation");
            }
        }
        if (loopStarted) {
            try {
                if (!finished.await(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    logger.warn("the UI event loop did not end within {} ms", STOP_TIMEOUT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        background.shutdownNow();
        saveLayout();
    }

    /** Not on the UI thread: reads the remembered layout from the bundle's data area. */
    private Layout loadLayout() {
        java.io.File file = context.getDataFile(LAYOUT_FILE);
        if (file == null || !file.isFile()) {
            return Layout.NONE;
        }
        java.util.Properties properties = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(file.toPath())) {
            properties.load(in);
            return Layout.of(properties);
        } catch (IOException | IllegalArgumentException e) {
            logger.warn("cannot read the window layout from {}: {}", file, e.toString());
            return Layout.NONE;
        }
    }

    /** At deactivation (not the UI thread, the loop has ended): writes what the window looked like. */
    private void saveLayout() {
        Layout captured = layoutToSave;
        java.io.File file = context.getDataFile(LAYOUT_FILE);
        if (captured == null || file == null) {
            return;
        }
        try (var out = java.nio.file.Files.newBufferedWriter(file.toPath())) {
            captured.toProperties().store(out, "Peers Chatting workbench window; rewritten at every stop");
        } catch (IOException e) {
            logger.warn("cannot save the window layout to {}: {}", file, e.toString());
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addView(ViewContribution view) {
        views.add(view);
        ui.execute(() -> {
            if (window != null && views.contains(view)) {
                window.addView(view);
            }
        });
    }

    void removeView(ViewContribution view) {
        views.remove(view);
        // the view's bundle may be stopping: its widgets go now, while its classes still work
        if (!ui.runAndWait(() -> {
            if (window != null) {
                window.removeView(view);
            }
        }, VIEW_REMOVAL_TIMEOUT_MILLIS) && ui.display() != null && !stopping) {
            logger.warn("view {} was not removed within {} ms", view.id(), VIEW_REMOVAL_TIMEOUT_MILLIS);
        }
    }

    /** On the launcher's main thread: the display's whole life. */
    private void runEventLoop() {
        if (stopping) {
            return;
        }
        loopStarted = true;
        Display display;
        try {
            Display.setAppName(Texts.get("app.name"));
            display = new Display();
        } catch (SWTError | UnsatisfiedLinkError | SWTException e) {
            logger.error("cannot open the display ({}); is DISPLAY set? Use --headless without a screen", e.toString(), e);
            finished.countDown();
            return;
        }
        try {
            window = new WorkbenchWindow(display, layout, this, this::problem);
            for (ViewContribution view : views) {
                window.addView(view);
            }
            window.open();
            ui.ready(display);
            display.asyncExec(() -> logger.info("workbench window open with {} views after {} ms of JVM uptime",
                    views.size(), ManagementFactory.getRuntimeMXBean().getUptime()));
            background.scheduleWithFixedDelay(this::pollStatus, 0, STATUS_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            background.schedule(this::atStart, 1, TimeUnit.SECONDS);
            while (!stopping) {
                try {
                    if (!display.readAndDispatch()) {
                        display.sleep();
                    }
                } catch (RuntimeException e) {
                    problem("error in the UI event loop", e);
                }
            }
            window.dispose();
        } finally {
            window = null;
            display.dispose();
            finished.countDown();
        }
    }

    private void pollStatus() {
        Status status = Status.of(roster, transport, server, chat);
        ui.execute(() -> {
            if (window != null && !status.equals(shown)) {
                shown = status;
                window.showStatus(status);
            }
        });
    }

    /** First moments: log in with the remembered choice, or ask. */
    private void atStart() {
        RosterClient client = roster;
        if (client == null || client.state() != ConnectionState.DISCONNECTED || client.userName().isPresent()) {
            return;
        }
        WorkbenchConfig remembered = config;
        if (remembered.connectAtStart() && !remembered.name().isBlank()) {
            doConnect(new ConnectDialog.Choice(remembered.name(), remembered.server(), remembered.hostServer(),
                    remembered.hostPort(), remembered.bindHost()));
        } else if (remembered.connectDialog()) {
            ui.execute(this::connect);
        }
    }

    @Override
    public void connect() {
        // what the dialog offers is gathered off the UI thread (interfaces, server state), then it opens
        background.execute(() -> {
            List<Interfaces.Choice> interfaces = Interfaces.list();
            ConnectDialog.Choice initial = initialChoice();
            ui.execute(() -> {
                if (window != null && !window.isDisposed()) {
                    ConnectDialog.open(window.shell(), initial, interfaces,
                            choice -> background.execute(() -> doConnect(choice)));
                }
            });
        });
    }

    private ConnectDialog.Choice initialChoice() {
        WorkbenchConfig remembered = config;
        RosterClient client = roster;
        String serverText = client != null && client.serverAddress() != null ? client.serverAddress().toString()
                : remembered.server();
        String name = client != null ? client.userName().orElse(remembered.name()) : remembered.name();
        RosterServer hosted = server;
        ServerInfo info = hosted == null ? null : hosted.info();
        boolean hosting = info != null && info.running() || remembered.hostServer();
        int hostPort = info != null && info.running() && info.address() != null ? info.address().port() : remembered.hostPort();
        MessageTransport udp = transport;
        String bindHost = udp != null ? udp.localAddress().host() : remembered.bindHost();
        return new ConnectDialog.Choice(name, serverText, hosting, hostPort, bindHost);
    }

    /** Background thread: host the server if asked, log in, remember the choice. */
    private void doConnect(ConnectDialog.Choice choice) {
        try {
            PeerAddress serverAddress = parse(choice.server());
            RosterServer hosted = server;
            if (choice.host()) {
                if (hosted == null) {
                    throw new IllegalStateException("this workbench has no roster server bundle (feature server)");
                }
                if (!hosted.info().running()) {
                    hosted.start("", choice.hostPort());
                }
            }
            RosterClient client = roster;
            if (client == null) {
                throw new IllegalStateException("no roster client is running");
            }
            bindTransport(choice.bindHost());
            if (client.state() != ConnectionState.DISCONNECTED) {
                client.logout().toCompletableFuture().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            client.login(choice.name(), serverAddress).toCompletableFuture().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            remember(choice);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | IOException | RuntimeException e) {
            // any failure of hosting, moving the transport or logging in is told to the user
            String message = Messages.describe(e);
            logger.warn("connect as {} to {} failed: {}", choice.name(), choice.server(), message);
            ui.execute(() -> {
                if (window != null) {
                    window.showError(Texts.get("connect.failed"), message);
                }
            });
        }
    }

    @Override
    public void disconnect() {
        background.execute(() -> {
            RosterClient client = roster;
            if (client != null) {
                client.logout();
            }
        });
    }

    @Override
    public void quit() {
        Thread quitter = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                logger.error("cannot stop the framework: {}", e.toString(), e);
            }
        }, "peerchat-quit");
        quitter.start();
    }

    /**
     * Background: moves the UDP transport to the chosen local address (its configuration, through
     * ConfigAdmin) and waits until it listens there, so that the login announces the right port.
     */
    private void bindTransport(String host) throws IOException, InterruptedException {
        MessageTransport udp = transport;
        ConfigurationAdmin admin = configurationAdmin;
        if (udp == null || admin == null || host == null || host.isBlank() || udp.localAddress().host().equals(host)) {
            return;
        }
        Configuration configuration = admin.getConfiguration(TRANSPORT_PID, "?");
        Dictionary<String, Object> properties = copy(configuration.getProperties());
        properties.put("host", host);
        configuration.updateIfDifferent(properties);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(REBIND_TIMEOUT_SECONDS);
        while (true) {
            MessageTransport current = transport;
            if (current != null && current.localAddress().host().equals(host)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(Texts.get("connect.noRebind", host));
            }
            Thread.sleep(50);
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> existing) {
        Dictionary<String, Object> copy = new Hashtable<>();
        if (existing != null) {
            for (var keys = existing.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, existing.get(key));
            }
        }
        return copy;
    }

    private void remember(ConnectDialog.Choice choice) {
        ConfigurationAdmin admin = configurationAdmin;
        if (admin == null) {
            return;
        }
        try {
            Configuration configuration = admin.getConfiguration(PID, "?");
            Dictionary<String, Object> properties = new Hashtable<>();
            if (configuration.getProperties() != null) {
                var existing = configuration.getProperties();
                for (var keys = existing.keys(); keys.hasMoreElements();) {
                    String key = keys.nextElement();
                    properties.put(key, existing.get(key));
                }
            }
            properties.put("name", choice.name());
            properties.put("server", choice.server());
            properties.put("hostServer", choice.host());
            properties.put("hostPort", choice.host() ? choice.hostPort() : config.hostPort());
            properties.put("connectAtStart", true);
            properties.put("bindHost", choice.bindHost());
            configuration.updateIfDifferent(properties);
        } catch (IOException e) {
            logger.warn("cannot remember the connection settings: {}", e.toString(), e);
        }
    }

    static PeerAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "' has no port number", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not from 1 to 65535");
        }
        return new PeerAddress(host, port);
    }

    private void problem(String message, Throwable cause) {
        if (cause == null) {
            logger.warn("{}", message);
        } else {
            logger.error("{}", message, cause);
        }
    }
}
