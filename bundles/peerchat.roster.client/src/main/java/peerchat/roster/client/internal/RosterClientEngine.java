package peerchat.roster.client.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.roster.protocol.Names;
import peerchat.roster.protocol.WireEntry;

/**
 * The roster client without OSGi: one login at a time, the current roster and the events that
 * change it. Each login runs in a {@link ClientSession} with its own reader thread; its reports
 * are applied here under one lock, and events are handed to the sink under that same lock, so
 * they leave in the order the roster changed.
 */
public final class RosterClientEngine {

    private final Log log;
    private final ClientSettings settings;
    private final UdpPortSource udpPorts;
    private final Consumer<RosterEvent> events;
    private final Object lock = new Object();

    private ClientSession session; // guarded by lock
    private volatile PeerAddress defaultServer;
    private volatile PeerAddress serverAddress;
    private volatile ConnectionState state = ConnectionState.DISCONNECTED;
    private volatile Roster roster = Roster.EMPTY;
    private volatile String userName;

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
     * Logs in (logging out first when logged in). The result completes with the first roster or
     * fails with a readable message: "name taken: bob", "cannot reach roster server
     * 127.0.0.1:5555: Connection refused", "no UDP transport available"...
     *
     * @param server null for the default server
     */
    public CompletableFuture<List<RosterEntry>> login(String name, PeerAddress server) {
        if (!Names.isValid(name)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(Names.badNameMessage(name)));
        }
        int udpPort;
        try {
            OptionalInt port = udpPorts.udpPort();
            if (port.isEmpty() || port.getAsInt() <= 0) {
                return CompletableFuture.failedFuture(new IllegalStateException("no UDP transport available"));
            }
            udpPort = port.getAsInt();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("no UDP transport available: " + e.getMessage(), e));
        }
        PeerAddress target = server != null ? server : defaultServer;
        ClientSession next = new ClientSession(this, settings, log, name, target, udpPort);
        Ended previous;
        synchronized (lock) {
            previous = detach();
            session = next;
            serverAddress = target;
            state = ConnectionState.CONNECTING;
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

    /** Sends BYE and closes; completes at once when not logged in. */
    public CompletableFuture<Void> logout() {
        Ended previous;
        synchronized (lock) {
            previous = detach();
        }
        if (previous != null) {
            previous.finish("login cancelled by logout");
        }
        return CompletableFuture.completedFuture(null);
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

    // ---- reports from the current session's reader thread ----

    /** The first roster arrived; false when this session is no longer current (it then stops). */
    boolean loggedIn(ClientSession from, List<WireEntry> wire) {
        List<RosterEntry> entries;
        synchronized (lock) {
            if (session != from) {
                return false;
            }
            roster = Roster.of(toApi(wire));
            state = ConnectionState.ONLINE;
            userName = from.name;
            entries = roster.entries();
            log.info("logged in as " + from.name + " at " + from.server + " (" + entries.size() + " online)");
            events.accept(new RosterEvent(RosterEvent.Kind.SNAPSHOT, null, entries));
        }
        from.login.complete(entries);
        return true;
    }

    void loginFailed(ClientSession from, String message) {
        synchronized (lock) {
            if (session == from) {
                session = null;
                state = ConnectionState.DISCONNECTED;
            }
        }
        log.debug("login as " + from.name + " at " + from.server + " failed: " + message);
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
        synchronized (lock) {
            if (isCurrent(from)) {
                RosterEntry entry = Entries.toApi(wire);
                roster = roster.with(entry);
                events.accept(new RosterEvent(RosterEvent.Kind.CHANGED, entry, roster.entries()));
            }
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

    /** The connection ended without our asking: the roster is gone until the next login. */
    void lost(ClientSession from, String reason) {
        synchronized (lock) {
            if (session != from) {
                return;
            }
            boolean wasOnline = state == ConnectionState.ONLINE;
            String who = userName;
            clear();
            if (wasOnline) {
                log.warn("lost connection to roster server " + from.server + " (logged in as " + who + "): " + reason);
                events.accept(new RosterEvent(RosterEvent.Kind.DISCONNECTED, null, List.of()));
            }
        }
        // does nothing after a successful login; fails a login whose session ended before the roster
        from.login.completeExceptionally(new IOException("lost connection to roster server " + from.server + ": " + reason));
    }

    // ---- helpers ----

    private boolean isCurrent(ClientSession from) {
        return session == from && state == ConnectionState.ONLINE;
    }

    /** A session taken off the engine, still to be closed outside the lock. */
    private record Ended(ClientSession session, boolean wasOnline) {
        void finish(String cancelMessage) {
            session.login.completeExceptionally(new IOException(cancelMessage));
            session.close(wasOnline);
        }
    }

    /** Under the lock: forgets the current session, tells listeners, and returns it for closing. */
    private Ended detach() {
        ClientSession current = session;
        if (current == null) {
            return null;
        }
        boolean wasOnline = state == ConnectionState.ONLINE;
        String who = userName;
        clear();
        if (wasOnline) {
            log.info("logged out " + who + " from " + current.server);
            events.accept(new RosterEvent(RosterEvent.Kind.DISCONNECTED, null, List.of()));
        }
        return new Ended(current, wasOnline);
    }

    private void clear() {
        session = null;
        state = ConnectionState.DISCONNECTED;
        roster = Roster.EMPTY;
        userName = null;
    }

    private static List<RosterEntry> toApi(List<WireEntry> wire) {
        List<RosterEntry> entries = new ArrayList<>(wire.size());
        for (WireEntry entry : wire) {
            entries.add(Entries.toApi(entry));
        }
        return entries;
    }
}
