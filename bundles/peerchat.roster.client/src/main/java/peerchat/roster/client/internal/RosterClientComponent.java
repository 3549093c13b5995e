package peerchat.roster.client.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;
import peerchat.api.roster.RosterListener;
import peerchat.api.transport.MessageTransport;
import peerchat.roster.protocol.log.OsgiLog;

/**
 * The roster client as a service. Announces the UDP port of whichever {@link MessageTransport} is
 * bound; delivers roster events to every {@link RosterListener} service. With a configured name it
 * logs in by itself at activation, or as soon as a transport appears if none is there yet, and tries
 * again with the reconnection backoff while that login fails (the server may still be starting).
 * <p>
 * Hot swap: when a new transport is bound (or the bound one rebinds in place, checked every
 * {@link #PORT_WATCH_MILLIS} ms) on another port than the one announced, the client logs in again
 * with the new port, keeping presence and status, so peers send to the right place.
 */
@Component(
        service = RosterClient.class,
        immediate = true,
        configurationPid = RosterClientComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RosterClientConfig.class)
public class RosterClientComponent implements RosterClient {

    static final String PID = "peerchat.roster.client";

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<RosterListener> listeners;

    private final AtomicReference<MessageTransport> transport = new AtomicReference<>();

    /** How often the announced UDP port is compared with the transport's (a transport may rebind in place). */
    static final long PORT_WATCH_MILLIS = 1000;

    private EventDispatcher dispatcher;
    private ScheduledExecutorService portWatch;
    /** Timings of the configured automatic login's retries. */
    private volatile ClientSettings autoSettings = ClientSettings.DEFAULTS;
    private final AtomicInteger autoAttempts = new AtomicInteger();
    private volatile RosterClientEngine engine;
    /** Set first thing in deactivate: what fails after that is the deactivation, not an error. */
    private volatile boolean deactivated;

    /** Automatic login settings; guarded by this. */
    private String autoName = "";
    private PeerAddress autoServer;
    private boolean waitingForTransport;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MessageTransport bound) {
        transport.set(bound);
        loginIfWaiting();
        RosterClientEngine current = engine;
        if (current != null) {
            // a replaced transport may listen on another port: tell the server (hot swap)
            current.udpPortChanged();
        }
    }

    void unbindTransport(MessageTransport unbound) {
        // greedy replacement binds the new transport first: only clear if it is still ours
        transport.compareAndSet(unbound, null);
    }

    @Activate
    void activate(RosterClientConfig config) {
        OsgiLog log = new OsgiLog(logger);
        dispatcher = new EventDispatcher(log, () -> listeners);
        engine = new RosterClientEngine(log, settings(config), this::transportPort, dispatcher::dispatch,
                server(config));
        portWatch = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "peerchat-roster-client-timer");
            t.setDaemon(true);
            return t;
        });
        portWatch.scheduleWithFixedDelay(this::watchPort, PORT_WATCH_MILLIS, PORT_WATCH_MILLIS, TimeUnit.MILLISECONDS);
        configure(config, true);
    }

    /** A transport reconfigured to another port keeps its service: notice it here and announce the new port. */
    private void watchPort() {
        try {
            engine.udpPortChanged();
        } catch (RuntimeException e) {
            logger.warn("checking the UDP port failed: {}", e.toString());
        }
    }

    /** New settings: a changed name or server logs in again; an emptied name leaves the session alone. */
    @Modified
    void modified(RosterClientConfig config) {
        configure(config, false);
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        synchronized (this) {
            autoName = "";
            waitingForTransport = false;
        }
        portWatch.shutdownNow();
        engine.close();
        dispatcher.close();
    }

    static ClientSettings settings(RosterClientConfig config) {
        ClientSettings d = ClientSettings.DEFAULTS;
        return new ClientSettings(d.connectTimeout(), d.answerTimeout(),
                Duration.ofMillis(Math.max(100, config.pingIntervalMillis())),
                Duration.ofMillis(Math.max(0, config.heartbeatTimeoutMillis())),
                Duration.ofMillis(Math.max(10, config.reconnectInitialMillis())),
                Duration.ofMillis(Math.max(100, config.reconnectMaxMillis())));
    }

    private void configure(RosterClientConfig config, boolean activating) {
        autoSettings = settings(config);
        autoAttempts.set(0);
        engine.setSettings(autoSettings);
        PeerAddress server = server(config);
        engine.setDefaultServer(server);
        String name = config.name() == null ? "" : config.name().trim();
        boolean loginNow;
        synchronized (this) {
            loginNow = !name.isEmpty() && (activating || !name.equals(autoName) || !server.equals(autoServer));
            autoName = name;
            autoServer = server;
            waitingForTransport = false;
        }
        if (loginNow) {
            autoLogin(name, server);
        }
    }

    private void autoLogin(String name, PeerAddress server) {
        if (transport.get() == null) {
            synchronized (this) {
                waitingForTransport = true;
            }
            logger.info("waiting for a UDP transport before logging in as {} at {}", name, server);
            // a transport bound meanwhile has already found waitingForTransport false: check again
            loginIfWaiting();
            return;
        }
        engine.login(name, server).whenComplete((roster, failure) -> {
            if (failure == null) {
                autoAttempts.set(0);
            } else if (deactivated) {
                // stopped (or replaced) while logging in: nothing went wrong
                logger.debug("automatic login as {} at {} ended by deactivation: {}", name, server, messageOf(failure));
            } else if (!stillWanted(name, server)) {
                logger.debug("automatic login as {} at {} superseded: {}", name, server, messageOf(failure));
            } else {
                retryAutoLogin(name, server, messageOf(failure));
            }
        });
    }

    /**
     * The configured login failed (server not up yet, e.g. its bundle is being replaced, or the name
     * still held by our previous session): try again with the reconnection backoff, as long as the
     * same name and server are configured and nobody logged in by hand meanwhile.
     */
    private void retryAutoLogin(String name, PeerAddress server, String why) {
        int attempt = autoAttempts.getAndIncrement();
        long delay = autoSettings.backoff(attempt, ThreadLocalRandom.current().nextDouble()).toMillis();
        logger.warn("automatic login as {} at {} failed: {}; trying again in {} ms", name, server, why, delay);
        try {
            portWatch.schedule(() -> {
                if (!deactivated && stillWanted(name, server) && engine.state() == ConnectionState.DISCONNECTED) {
                    autoLogin(name, server);
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            logger.debug("no new automatic login: the roster client is stopping");
        }
    }

    private synchronized boolean stillWanted(String name, PeerAddress server) {
        return name.equals(autoName) && server.equals(autoServer);
    }

    private void loginIfWaiting() {
        String name;
        PeerAddress server;
        synchronized (this) {
            if (!waitingForTransport || transport.get() == null || engine == null) {
                return;
            }
            waitingForTransport = false;
            name = autoName;
            server = autoServer;
        }
        autoLogin(name, server);
    }

    private OptionalInt transportPort() {
        MessageTransport current = transport.get();
        PeerAddress local = current == null ? null : current.localAddress();
        return local == null ? OptionalInt.empty() : OptionalInt.of(local.port());
    }

    private PeerAddress server(RosterClientConfig config) {
        try {
            return ServerAddresses.parse(config.server());
        } catch (IllegalArgumentException e) {
            PeerAddress fallback = ServerAddresses.parse("127.0.0.1:5555");
            logger.error("{}; using {}", e.getMessage(), fallback);
            return fallback;
        }
    }

    private static String messageOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.toString();
    }

    // ---- RosterClient ----

    @Override
    public CompletionStage<List<RosterEntry>> login(String name, PeerAddress server) {
        return engine.login(name, server);
    }

    @Override
    public CompletionStage<Void> logout() {
        return engine.logout();
    }

    @Override
    public List<RosterEntry> roster() {
        return engine.roster();
    }

    @Override
    public Optional<RosterEntry> find(String name) {
        return engine.find(name);
    }

    @Override
    public Optional<RosterEntry> findByAddress(PeerAddress address) {
        return engine.findByAddress(address);
    }

    @Override
    public Optional<String> userName() {
        return engine.userName();
    }

    @Override
    public PeerAddress serverAddress() {
        return engine.serverAddress();
    }

    @Override
    public ConnectionState state() {
        return engine.state();
    }

    @Override
    public CompletionStage<Void> setPresence(Presence presence, String status) {
        return engine.setPresence(presence, status);
    }
}
