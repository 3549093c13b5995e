package peerchat.roster.client.internal;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.roster.protocol.Names;
import peerchat.roster.protocol.StatusText;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;
import peerchat.roster.protocol.log.Log;

/**
 * The roster client without OSGi: one login at a time, the current roster and the events that
 * change it. Each connection runs in a {@link ClientSession} with its own reader thread; its
 * reports are applied here under one lock, and events are handed to the sink under that same lock,
 * so they leave in the order the roster changed.
 *
 * <p>When the connection of a logged-in user is lost, the engine keeps the roster (marked stale,
 * state {@link ConnectionState#RECONNECTING}) and logs in again with exponential backoff and
 * jitter until it is back, then replaces the roster with the fresh snapshot.
 */
public final class RosterClientEngine implements AutoCloseable {

    private final Log log;
    private volatile ClientSettings settings;
    private final UdpPortSource udpPorts;
    private final Consumer<RosterEvent> events;
    private final Object lock = new Object();

    private ClientSession session; // guarded by lock
    /** Changes with every login and logout, so a retry scheduled for an older login does nothing. */
    private long generation; // guarded by lock
    private int attempts; // guarded by lock: failed reconnection attempts in a row
    private ScheduledExecutorService timer; // guarded by lock, made on first use
    private boolean closed; // guarded by lock
    /** Presence changes sent and not yet confirmed by the server, oldest first. */
    private final ArrayDeque<CompletableFuture<Void>> pendingPresence = new ArrayDeque<>(); // guarded by lock
    private volatile PeerAddress defaultServer;
    private volatile PeerAddress serverAddress;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile Roster roster = Roster.EMPTY;
    private volatile String userName;
    private volatile WirePresence presence = WirePresence.ONLINE;
    private volatile String status = "";

    /**
     * @param events receives every roster event; called with the engine's lock held, so it must
     *               only queue (see {@link EventDispatcher})
     */
    public RosterClientEngine(Log log, ClientSettings settings, UdpPortSource udpPorts, Consumer<RosterEvent> events,
            PeerAddress defaultServer) {
        this.log = log;
        this.settings = settings;
        this.udpPorts = udpPorts;
        this.events = events;
        this.defaultServer = Objects.requireNonNull(defaultServer, "defaultServer");
        this.serverAddress = defaultServer;
    }

    /** New timings; they apply from the next connection on. */
    public void setSettings(ClientSettings newSettings) {
        settings = Objects.requireNonNull(newSettings, "settings");
    }

    /** The server a login without one goes to (from configuration). */
    public void setDefaultServer(PeerAddress server) {
        defaultServer = Objects.requireNonNull(server, "server");
        synchronized (lock) {
            if (session == null) {
                serverAddress = server;
            }
        }
    }

    /**
     * Logs in (logging out first when logged in), online and without status text. The result
     * completes with the first roster or fails with a readable message: "name taken: bob", "cannot
     * reach roster server 127.0.0.1:5555: Connection refused", "no UDP transport available"...
     *
     * @param server null for the default server
     */
    public CompletableFuture<List<RosterEntry>> login(String name, PeerAddress server) {
        if (!Names.isValid(name)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(Names.badNameMessage(name)));
        }
        int udpPort;
        try {
            udpPort = udpPort();
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        PeerAddress target = server != null ? server : defaultServer;
        ClientSession next = new ClientSession(this, settings, log, name, target, udpPort, WirePresence.ONLINE, "",
                false);
        Ended previous;
        synchronized (lock) {
            previous = detach();
            generation++;
            session = next;
            serverAddress = target;
            state = ConnectionState.CONNECTING;
            presence = WirePresence.ONLINE;
            status = "";
        }
        if (previous != null) {
            previous.finish("login cancelled: a new login started");
        }
        next.start();
        // a separate future, so callers cannot complete ours; it fails with the plain cause
        CompletableFuture<List<RosterEntry>> result = new CompletableFuture<>();
        next.login.whenComplete((entries, failure) -> {
            if (failure == null) {
                result.complete(entries);
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    private int udpPort() {
        try {
            OptionalInt port = udpPorts.udpPort();
            if (port.isEmpty() || port.getAsInt() <= 0) {
                throw new IllegalStateException("no UDP transport available");
            }
            return port.getAsInt();
        } catch (IllegalStateException e) {
            if ("no UDP transport available".equals(e.getMessage())) {
                throw e;
            }
            throw new IllegalStateException("no UDP transport available: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("no UDP transport available: " + e.getMessage(), e);
        }
    }

    /**
     * The local transport changed (hot swap): when logged in with a different UDP port than the
     * transport now has, logs in again on a new connection with the new port, keeping name, server,
     * presence and status, so peers learn where to send. The roster stays (stale) meanwhile; a failed
     * attempt is retried like a lost connection. Does nothing otherwise.
     *
     * @return true when a new announcement started
     */
    public boolean udpPortChanged() {
        int port;
        try {
            port = udpPort();
        } catch (IllegalStateException e) {
            return false; // no transport: the next one calls again
        }
        ClientSession old;
        ClientSession next;
        List<CompletableFuture<Void>> unconfirmed;
        synchronized (lock) {
            old = session;
            if (closed || old == null || state != ConnectionState.ONLINE || old.udpPort == port) {
                return false;
            }
            log.info("UDP port changed from " + old.udpPort + " to " + port + ": announcing it to " + old.server);
            unconfirmed = List.copyOf(pendingPresence);
            pendingPresence.clear();
            state = ConnectionState.RECONNECTING;
            attempts = 0;
            next = new ClientSession(this, settings, log, old.name, old.server, port, presence, status, true);
            session = next;
        }
        for (CompletableFuture<Void> pending : unconfirmed) {
            pending.completeExceptionally(new IOException("the UDP port changed before the server confirmed"));
        }
        old.close(true); // BYE first, so the server has freed the name before the new HELLO
        next.start();
        return true;
    }

    /** Sends BYE and closes (or stops reconnecting); completes at once when not logged in. */
    public CompletableFuture<Void> logout() {
        Ended previous;
        synchronized (lock) {
            previous = detach();
            generation++;
        }
        if (previous != null) {
            previous.finish("login cancelled by logout");
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Tells everyone our presence and status text; completes when the server confirms it.
     * While reconnecting the new presence is kept and goes with the next HELLO (completes at once).
     */
    public CompletableFuture<Void> setPresence(Presence newPresence, String newStatus) {
        Objects.requireNonNull(newPresence, "presence");
        String text = newStatus == null ? "" : newStatus.strip();
        if (!StatusText.isValid(text)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(StatusText.badStatusMessage(text)));
        }
        WirePresence wire = WirePresence.valueOf(newPresence.name());
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        ClientSession current;
        synchronized (lock) {
            switch (state) {
                case DISCONNECTED -> {
                    return CompletableFuture.failedFuture(new IllegalStateException("not logged in"));
                }
                case CONNECTING -> {
                    return CompletableFuture.failedFuture(new IllegalStateException("still logging in; try again"));
                }
                case RECONNECTING -> {
                    presence = wire;
                    status = text;
                    return CompletableFuture.completedFuture(null);
                }
                case ONLINE -> {
                    presence = wire;
                    status = text;
                    pendingPresence.add(confirmed);
                    current = session;
                }
                default -> throw new IllegalStateException("unknown state " + state);
            }
        }
        try {
            current.sendPresence(wire, text);
        } catch (IOException e) {
            synchronized (lock) {
                pendingPresence.remove(confirmed);
            }
            return CompletableFuture.failedFuture(new IOException("cannot reach the roster server: " + e.getMessage(), e));
        }
        long timeout = settings.answerTimeout().toMillis();
        CompletableFuture<Void> result = new CompletableFuture<>();
        confirmed.orTimeout(timeout, TimeUnit.MILLISECONDS).whenComplete((ok, failure) -> {
            if (failure == null) {
                result.complete(null);
            } else if (failure instanceof java.util.concurrent.TimeoutException) {
                synchronized (lock) {
                    pendingPresence.remove(confirmed);
                }
                result.completeExceptionally(new IOException("the roster server did not confirm the presence within "
                        + ClientSession.describe(settings.answerTimeout())));
            } else {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    public List<RosterEntry> roster() {
        return roster.entries();
    }

    public Optional<RosterEntry> find(String name) {
        return roster.find(name);
    }

    public Optional<RosterEntry> findByAddress(PeerAddress address) {
        return roster.findByAddress(address);
    }

    public Optional<String> userName() {
        return Optional.ofNullable(userName);
    }

    public PeerAddress serverAddress() {
        return serverAddress;
    }

    public ConnectionState state() {
        return state;
    }

    /** True while reconnecting: the roster is the last one known. */
    public boolean stale() {
        return state == ConnectionState.RECONNECTING;
    }

    /** Our presence as last set (what the next HELLO of a reconnection carries). */
    public Presence presence() {
        return Presence.valueOf(presence.name());
    }

    /** Our status text as last set; empty when none. */
    public String status() {
        return status;
    }

    /** Logs out and stops the reconnection timer; the engine is not used afterwards. */
    @Override
    public void close() {
        logout();
        ScheduledExecutorService t;
        synchronized (lock) {
            closed = true;
            t = timer;
            timer = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
    }

    // ---- reports from the current session's reader thread ----

    /** The first roster arrived; false when this session is no longer current (it then stops). */
    boolean loggedIn(ClientSession from, List<WireEntry> wire) {
        List<RosterEntry> entries;
        synchronized (lock) {
            if (session != from) {
                return false;
            }
            boolean back = from.reconnect;
            roster = Roster.of(toApi(wire));
            state = ConnectionState.ONLINE;
            userName = from.name;
            attempts = 0;
            entries = roster.entries();
            if (back) {
                log.info("back at roster server " + from.server + " as " + from.name + " (" + entries.size()
                        + " online)");
            } else {
                log.info("logged in as " + from.name + " at " + from.server + " (" + entries.size() + " online)");
            }
            events.accept(new RosterEvent(RosterEvent.Kind.SNAPSHOT, null, entries));
        }
        from.login.complete(entries);
        return true;
    }

    void loginFailed(ClientSession from, String message) {
        synchronized (lock) {
            if (session == from) {
                if (from.reconnect) {
                    log.debug("reconnection to " + from.server + " as " + from.name + " failed: " + message);
                    session = null;
                    scheduleReconnect(from);
                } else {
                    session = null;
                    state = ConnectionState.DISCONNECTED;
                }
            }
        }
        if (!from.reconnect) {
            log.debug("login as " + from.name + " at " + from.server + " failed: " + message);
        }
        from.login.completeExceptionally(new IOException(message));
    }

    void snapshot(ClientSession from, List<WireEntry> wire) {
        synchronized (lock) {
            if (isCurrent(from)) {
                roster = Roster.of(toApi(wire));
                events.accept(new RosterEvent(RosterEvent.Kind.SNAPSHOT, null, roster.entries()));
            }
        }
    }

    void joined(ClientSession from, WireEntry wire) {
        synchronized (lock) {
            if (isCurrent(from)) {
                RosterEntry entry = Entries.toApi(wire);
                roster = roster.with(entry);
                events.accept(new RosterEvent(RosterEvent.Kind.JOINED, entry, roster.entries()));
                log.debug(entry.name() + " joined at " + entry.address());
            }
        }
    }

    void changed(ClientSession from, WireEntry wire) {
        CompletableFuture<Void> confirmed = null;
        synchronized (lock) {
            if (isCurrent(from)) {
                RosterEntry entry = Entries.toApi(wire);
                roster = roster.with(entry);
                events.accept(new RosterEvent(RosterEvent.Kind.CHANGED, entry, roster.entries()));
                if (Names.key(wire.name()).equals(Names.key(from.name))) {
                    confirmed = pendingPresence.poll();
                }
            }
        }
        if (confirmed != null) {
            confirmed.complete(null);
        }
    }

    void left(ClientSession from, String name) {
        synchronized (lock) {
            if (isCurrent(from)) {
                Optional<RosterEntry> gone = roster.find(name);
                if (gone.isEmpty()) {
                    log.debug("server reported unknown user " + Names.quote(name) + " as left");
                    return;
                }
                roster = roster.without(name);
                events.accept(new RosterEvent(RosterEvent.Kind.LEFT, gone.get(), roster.entries()));
                log.debug(gone.get().name() + " left");
            }
        }
    }

    /**
     * The connection ended without our asking. A logged-in user keeps the (now stale) roster and
     * the engine reconnects; a login still in progress fails.
     */
    void lost(ClientSession from, String reason) {
        List<CompletableFuture<Void>> unconfirmed;
        synchronized (lock) {
            if (session != from) {
                return;
            }
            boolean wasOnline = state == ConnectionState.ONLINE;
            unconfirmed = List.copyOf(pendingPresence);
            pendingPresence.clear();
            if (wasOnline && !closed) {
                log.warn("lost connection to roster server " + from.server + " (logged in as " + userName + "): "
                        + reason + "; reconnecting");
                state = ConnectionState.RECONNECTING;
                session = null;
                attempts = 0;
                events.accept(new RosterEvent(RosterEvent.Kind.DISCONNECTED, null, roster.entries()));
                scheduleReconnect(from);
            } else if (from.reconnect) {
                session = null;
                scheduleReconnect(from);
            } else {
                clear();
                if (wasOnline) {
                    log.warn("lost connection to roster server " + from.server + " (logged in as " + userName + "): "
                            + reason);
                    events.accept(new RosterEvent(RosterEvent.Kind.DISCONNECTED, null, List.of()));
                }
            }
        }
        for (CompletableFuture<Void> pending : unconfirmed) {
            pending.completeExceptionally(new IOException("lost connection to the roster server: " + reason));
        }
        // does nothing after a successful login; fails a login whose session ended before the roster
        from.login.completeExceptionally(new IOException("lost connection to roster server " + from.server + ": " + reason));
    }

    // ---- reconnection ----

    /** Under the lock: the next attempt after a growing, jittered pause. */
    private void scheduleReconnect(ClientSession lostSession) {
        if (closed) {
            return;
        }
        long delay = settings.backoff(attempts, ThreadLocalRandom.current().nextDouble()).toMillis();
        attempts++;
        long forGeneration = generation;
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "peerchat-roster-reconnect");
                t.setDaemon(true);
                return t;
            });
        }
        try {
            timer.schedule(() -> reconnect(lostSession, forGeneration), delay, TimeUnit.MILLISECONDS);
            log.debug("reconnecting to " + lostSession.server + " in " + delay + " ms (attempt " + attempts + ")");
        } catch (RejectedExecutionException e) {
            log.debug("no reconnection: the roster client is closing");
        }
    }

    private void reconnect(ClientSession lostSession, long forGeneration) {
        int port;
        try {
            port = udpPort();
        } catch (IllegalStateException e) {
            synchronized (lock) {
                if (generation == forGeneration && session == null && state == ConnectionState.RECONNECTING) {
                    log.debug("cannot reconnect yet: " + e.getMessage());
                    scheduleReconnect(lostSession);
                }
            }
            return;
        }
        ClientSession next;
        synchronized (lock) {
            if (closed || generation != forGeneration || session != null || state != ConnectionState.RECONNECTING) {
                return; // logged out or in again meanwhile
            }
            next = new ClientSession(this, settings, log, lostSession.name, lostSession.server, port, presence, status,
                    true);
            session = next;
        }
        next.start();
    }

    // ---- helpers ----

    private boolean isCurrent(ClientSession from) {
        return session == from && state == ConnectionState.ONLINE;
    }

    /** A session taken off the engine, still to be closed outside the lock. */
    private record Ended(ClientSession session, boolean wasOnline, List<CompletableFuture<Void>> unconfirmed) {
        void finish(String cancelMessage) {
            for (CompletableFuture<Void> pending : unconfirmed) {
                pending.completeExceptionally(new IOException("logged out before the server confirmed"));
            }
            if (session != null) {
                session.login.completeExceptionally(new IOException(cancelMessage));
                session.close(wasOnline);
            }
        }
    }

    /**
     * Under the lock: forgets the current session (or stops reconnecting), tells listeners, and
     * returns what must be closed; null when not logged in.
     */
    private Ended detach() {
        ClientSession current = session;
        boolean reconnecting = state == ConnectionState.RECONNECTING;
        if (current == null && !reconnecting) {
            return null;
        }
        boolean wasOnline = state == ConnectionState.ONLINE;
        List<CompletableFuture<Void>> unconfirmed = List.copyOf(pendingPresence);
        pendingPresence.clear();
        String who = userName;
        clear();
        if (wasOnline || reconnecting) {
            log.info("logged out " + who + " from " + serverAddress);
            events.accept(new RosterEvent(RosterEvent.Kind.DISCONNECTED, null, List.of()));
        }
        return new Ended(current, wasOnline, unconfirmed);
    }

    private void clear() {
        session = null;
        state = ConnectionState.DISCONNECTED;
        roster = Roster.EMPTY;
        userName = null;
        attempts = 0;
    }

    private static List<RosterEntry> toApi(List<WireEntry> wire) {
        List<RosterEntry> entries = new ArrayList<>(wire.size());
        for (WireEntry entry : wire) {
            entries.add(Entries.toApi(entry));
        }
        return entries;
    }
}
