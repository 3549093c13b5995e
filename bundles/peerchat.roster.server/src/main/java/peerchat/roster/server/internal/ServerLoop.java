package peerchat.roster.server.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import peerchat.api.dto.PeerAddress;
import peerchat.roster.protocol.ErrorCode;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameEncoder;
import peerchat.roster.protocol.Names;
import peerchat.roster.protocol.ProtocolException;
import peerchat.roster.protocol.StatusText;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;
import peerchat.roster.protocol.log.Log;

/**
 * One listening roster server: a bound socket, one selector thread and the roster of the clients
 * connected to it. Everything but {@link #shutdown} and the volatile getters runs on that thread.
 *
 * <p>Roster changes are not sent one by one: the JOINED, LEFT and PRESENCE_CHANGED frames of one
 * tick ({@link ServerSettings#deltaTick}) are encoded once into one read-only buffer that every
 * member's queue shares; members that logged in during the tick get one snapshot of the roster at
 * the end of the tick instead (also encoded once for all of them). A member whose queue is full gets
 * no more deltas: what it has not started to receive is dropped, and once it has drained its queue
 * it gets a fresh snapshot; if it does not catch up within {@link ServerSettings#slowReaderTimeout}
 * it is disconnected. Nobody else waits for it.
 */
final class ServerLoop implements Runnable {

    private static final long SELECT_MILLIS = 250;

    /**
     * How many connections the kernel queues until the selector thread accepts them (capped by
     * net.core.somaxconn). A full queue drops SYNs, which costs the client a 1 s retransmission.
     */
    private static final int ACCEPT_BACKLOG = 4096;

    /** While busy (writing out a tick, serving many ready clients), pending connections are accepted this often. */
    private static final long ACCEPT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** How often deadlines (handshake, heartbeat, close grace) are checked. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Log log;
    /** Replaced by {@link #update} when the configuration changes; read by the loop only. */
    private volatile ServerSettings settings;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final PeerAddress boundAddress;
    private final FrameEncoder encoder = new FrameEncoder();
    /** Scratch buffer for reads; a partly received frame stays in the connection's decoder. */
    private final ByteBuffer readBuffer;
    private final Set<ClientConnection> connections = new HashSet<>();
    /** Logged-in clients by {@link Names#key}: sorted, so snapshots come out in name order. */
    private final TreeMap<String, ClientConnection> members = new TreeMap<>();
    /** Connections to drop once the current step is done, so that a broadcast never recurses. */
    private final ArrayDeque<Drop> pendingDrops = new ArrayDeque<>();
    private final Thread thread;
    /** Open connections per source IP that count against the limits (see ClientConnection.counted). */
    private final Map<String, Integer> connectionsByIp = new HashMap<>();
    private int countedConnections;
    private long lastTickNanos;
    private final long startedNanos = System.nanoTime();
    private final EnumMap<ErrorCode, Long> rejects = new EnumMap<>(ErrorCode.class);
    private long slowReaders;

    /** The deltas of the current tick, encoded as they happen; sent as one batch when the tick ends. */
    private final BatchBuffer batch = new BatchBuffer();
    private int batchFrames;
    /** When the current tick's first change (or snapshot request) came; 0 when nothing is pending. */
    private long pendingSinceNanos;

    /** Someone joined or left in this tick: legacy clients need a new roster line, info new names. */
    private boolean rosterChanged;
    /** Members waiting for the snapshot at the end of this tick (new logins, slow readers that drained). */
    private final List<ClientConnection> snapshotWaiters = new ArrayList<>();
    /** Members speaking the legacy dialect, so that the roster line is not looked for among everyone. */
    private final Set<ClientConnection> legacyMembers = new HashSet<>();
    private volatile long batchesSent;
    private volatile long snapshotsEncoded;
    private volatile long resyncs;

    private volatile boolean stopRequested;
    private volatile long framesIn;
    private volatile long framesOut;
    private volatile Map<String, Long> rejectsByReason = Map.of();
    private volatile boolean running = true;
    private volatile List<String> memberNames = List.of();

    private record Drop(ClientConnection connection, String reason) {
    }

    private ServerLoop(Log log, ServerSettings settings, ServerSocketChannel listener, Selector selector,
            PeerAddress boundAddress) {
        this.log = log;
        this.settings = settings;
        this.listener = listener;
        this.selector = selector;
        this.boundAddress = boundAddress;
        this.readBuffer = ByteBuffer.allocate(settings.readBufferBytes());
        this.thread = new Thread(this, "peerchat-roster-server-" + boundAddress.port());
        this.thread.setDaemon(true);
    }

    /**
     * Binds and starts the selector thread.
     *
     * @param host address to bind, empty for all interfaces
     * @throws IOException with a message such as "cannot listen on 0.0.0.0:5555: address already in use"
     */
    static ServerLoop open(Log log, ServerSettings settings, String host, int port) throws IOException {
        String shownHost = host.isEmpty() ? "0.0.0.0" : host;
        String where = "cannot listen on " + new PeerAddress(shownHost, port);
        InetSocketAddress address = host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException(where + ": unknown host " + host);
        }
        ServerSocketChannel listener = ServerSocketChannel.open();
        Selector selector = null;
        try {
            // lets a restarted server bind while old connections linger in TIME_WAIT
            listener.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, ACCEPT_BACKLOG);
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (java.net.BindException e) {
            closeQuietly(listener, selector);
            String reason = "Address already in use".equalsIgnoreCase(e.getMessage()) ? "address already in use"
                    : e.getMessage();
            throw new IOException(where + ": " + reason, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(listener, selector);
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        ServerLoop loop = new ServerLoop(log, settings, listener, selector,
                new PeerAddress(hostOf(bound.getAddress()), bound.getPort()));
        loop.thread.start();
        return loop;
    }

    PeerAddress boundAddress() {
        return boundAddress;
    }

    boolean isRunning() {
        return running;
    }

    /** Names of the logged-in clients, sorted (case-insensitively). */
    List<String> memberNames() {
        return memberNames;
    }

    /** Takes new limits; they apply from the next event on (open connections keep their state). */
    void update(ServerSettings newSettings) {
        settings = newSettings;
    }

    long uptimeNanos() {
        return System.nanoTime() - startedNanos;
    }

    long framesIn() {
        return framesIn;
    }

    long framesOut() {
        return framesOut;
    }

    /** Delta batches sent so far (one per tick with changes, however many members got it). */
    long batchesSent() {
        return batchesSent;
    }

    /** Snapshots encoded so far (one per tick with new members or slow readers to resynchronize). */
    long snapshotsEncoded() {
        return snapshotsEncoded;
    }

    /** How often a member's queue overflowed, so that its deltas were dropped for a fresh snapshot. */
    long resyncs() {
        return resyncs;
    }

    /** Connections refused or dropped, by reason (an error code's name in lower case, or slow_reader). */
    Map<String, Long> rejects() {
        return rejectsByReason;
    }

    /** Says BYE to every client, closes everything and waits (bounded) for the thread to end. */
    void shutdown() {
        stopRequested = true;
        selector.wakeup();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("roster server thread did not stop within 5 s");
        }
    }

    @Override
    public void run() {
        try {
            while (!stopRequested) {
                selector.select(selectMillis());
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                    processDrops();
                    maybeAccept();
                }
                long now = System.nanoTime();
                if (pendingSinceNanos != 0 && now - pendingSinceNanos >= settings.deltaTick().toNanos()) {
                    endTick();
                    processDrops();
                }
                if (now - lastTickNanos >= TICK_NANOS) {
                    lastTickNanos = now;
                    checkDeadlines(now);
                    processDrops();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("roster server on " + boundAddress + " failed and stops: " + e, e);
        } finally {
            closeEverything();
            running = false;
        }
    }

    /** Until the current tick ends when changes are pending, else the idle wake-up for deadlines. */
    private long selectMillis() {
        if (pendingSinceNanos == 0) {
            return SELECT_MILLIS;
        }
        long left = pendingSinceNanos + settings.deltaTick().toNanos() - System.nanoTime();
        return Math.max(1, Math.min(SELECT_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
    }

    private void handle(SelectionKey key) {
        if (key.attachment() == null) {
            if (key.isValid() && key.isAcceptable()) {
                acceptAll();
            }
            return;
        }
        ClientConnection connection = (ClientConnection) key.attachment();
        try {
            if (key.isValid() && key.isReadable()) {
                read(connection);
            }
            if (connection.state != ClientConnection.State.CLOSED && key.isValid() && key.isWritable()) {
                boolean drained = connection.flush();
                written(connection, drained);
                if (drained && connection.state == ClientConnection.State.MEMBER) {
                    drained(connection);
                }
            }
        } catch (IOException e) {
            pendingDrops.add(new Drop(connection, "connection lost: " + e.getMessage()));
        } catch (RuntimeException e) {
            // a bug must cost one connection, never the whole server
            log.error("unexpected failure while serving " + connection.describe(), e);
            pendingDrops.add(new Drop(connection, "internal error"));
        }
    }

    private long lastAcceptNanos;

    /** Accepts pending connections when that has not been done for a few milliseconds. */
    private void maybeAccept() {
        if (System.nanoTime() - lastAcceptNanos >= ACCEPT_EVERY_NANOS) {
            acceptAll();
        }
    }

    private void acceptAll() {
        lastAcceptNanos = System.nanoTime();
        while (true) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (IOException e) {
                // e.g. too many open files: keep serving the clients we have
                log.warn("cannot accept a connection on " + boundAddress + ": " + e.getMessage());
                return;
            }
            if (channel == null) {
                return;
            }
            try {
                channel.configureBlocking(false);
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
                String remoteHost = hostOf(remote.getAddress());
                ServerSettings limits = settings;
                ClientConnection connection = new ClientConnection(channel, remoteHost, limits.maxQueuedBytes());
                connection.remotePort = remote.getPort();
                long now = System.nanoTime();
                connection.deadlineNanos = now + limits.helloTimeout().toNanos();
                connection.lastReadNanos = now;
                connection.tokens = Math.max(1, limits.requestBurst());
                connection.tokensRefilledNanos = now;
                connection.attach(channel.register(selector, SelectionKey.OP_READ, connection));
                connections.add(connection);
                int fromThisIp = connectionsByIp.getOrDefault(remoteHost, 0);
                if (limits.maxClients() > 0 && countedConnections >= limits.maxClients()) {
                    refuse(connection, ErrorCode.SERVER_FULL, "server full: " + limits.maxClients()
                            + " connections open; try again later");
                } else if (limits.maxConnectionsPerIp() > 0 && fromThisIp >= limits.maxConnectionsPerIp()) {
                    refuse(connection, ErrorCode.TOO_MANY_CONNECTIONS, "too many connections from " + remoteHost
                            + " (limit " + limits.maxConnectionsPerIp() + ")");
                } else {
                    connection.counted = true;
                    countedConnections++;
                    connectionsByIp.put(remoteHost, fromThisIp + 1);
                    log.debug("connection from " + remoteHost);
                }
            } catch (IOException e) {
                log.warn("cannot set up a connection on " + boundAddress + ": " + e.getMessage());
                closeQuietly(channel, null);
            }
        }
    }

    /** The connection stops counting against the limits: it is closing or closed. */
    private void release(ClientConnection connection) {
        if (connection.counted) {
            connection.counted = false;
            countedConnections--;
            connectionsByIp.computeIfPresent(connection.remoteHost, (ip, n) -> n <= 1 ? null : n - 1);
        }
    }

    private void read(ClientConnection connection) throws IOException {
        readBuffer.clear();
        int n = connection.channel.read(readBuffer);
        if (n < 0) {
            if (connection.state == ClientConnection.State.CLOSING) {
                forget(connection); // the peer saw our last frame and closed: done
            } else {
                pendingDrops.add(new Drop(connection, "connection closed by the client"));
            }
            return;
        }
        if (n > 0) {
            connection.lastReadNanos = System.nanoTime();
            connection.pingOutstanding = false;
        }
        readBuffer.flip();
        if (!connection.dialectKnown && readBuffer.hasRemaining()) {
            connection.dialectKnown = true;
            // ours starts with the top byte of a length (0x00); the original client with "login-"
            connection.legacy = readBuffer.get(readBuffer.position()) == 'l';
        }
        if (connection.legacy) {
            readLegacyLines(connection);
            return;
        }
        try {
            Frame frame;
            while (connection.state != ClientConnection.State.CLOSING
                    && connection.state != ClientConnection.State.CLOSED
                    && (frame = connection.decoder.decode(readBuffer)) != null) {
                framesIn++;
                received(connection, frame);
            }
        } catch (ProtocolException e) {
            refuse(connection, e.code(), e.getMessage());
        }
        // CLOSING: whatever else the peer sends is read and discarded (see refuse)
    }

    private void received(ClientConnection connection, Frame frame) {
        if (connection.state == ClientConnection.State.HANDSHAKE) {
            if (frame instanceof Frame.Hello hello) {
                login(connection, hello);
            } else {
                refuse(connection, ErrorCode.PROTOCOL_ERROR, "expected HELLO first, got " + frame.type());
            }
            return;
        }
        if (!withinRate(connection)) {
            refuse(connection, ErrorCode.TOO_MANY_REQUESTS, "too many requests: more than "
                    + settings.requestsPerSecond() + " frames per second");
            return;
        }
        switch (frame) {
            case Frame.Ping ping -> send(connection, new Frame.Pong(ping.token()));
            case Frame.Pong pong -> {
                // the answer to a heartbeat PING of ours: reading it was what counted
            }
            case Frame.SetPresence set -> setPresence(connection, set);
            case Frame.Bye bye -> {
                removeMember(connection, " logged out");
                closeAfterFlush(connection, null);
            }
            case Frame.Error error -> {
                log.warn(connection.describe() + " reported " + error.code() + ": " + error.message());
                pendingDrops.add(new Drop(connection, "closed after an error"));
            }
            case Frame.Hello hello -> refuse(connection, ErrorCode.PROTOCOL_ERROR, "HELLO sent twice");
            default -> refuse(connection, ErrorCode.PROTOCOL_ERROR, frame.type() + " is not a client frame");
        }
    }

    /** Token bucket: takes one token for this frame; false when the client is over its rate. */
    private boolean withinRate(ClientConnection connection) {
        ServerSettings limits = settings;
        if (limits.requestsPerSecond() <= 0) {
            return true;
        }
        long now = System.nanoTime();
        double refill = (now - connection.tokensRefilledNanos) / 1e9 * limits.requestsPerSecond();
        connection.tokens = Math.min(Math.max(1, limits.requestBurst()), connection.tokens + refill);
        connection.tokensRefilledNanos = now;
        if (connection.tokens < 1) {
            return false;
        }
        connection.tokens -= 1;
        return true;
    }

    private void setPresence(ClientConnection connection, Frame.SetPresence set) {
        if (!StatusText.isValid(set.status())) {
            refuse(connection, ErrorCode.BAD_STATUS, StatusText.badStatusMessage(set.status()));
            return;
        }
        WireEntry old = connection.entry;
        connection.entry = new WireEntry(old.name(), old.host(), old.udpPort(), set.presence(), set.status(),
                old.legacy());
        // everyone, the user included: that copy confirms the change to them (one still waiting for
        // its snapshot gets the confirmation right after it)
        addDelta(new Frame.PresenceChanged(connection.entry));
        if (connection.needsSnapshot) {
            connection.confirmPresence = true;
        }
        log.debug(old.name() + " is now " + set.presence() + (set.status().isEmpty() ? "" : ": " + set.status()));
    }

    private void login(ClientConnection connection, Frame.Hello hello) {
        String name = hello.name();
        if (!Names.isValid(name)) {
            refuse(connection, ErrorCode.BAD_NAME, Names.badNameMessage(name));
            return;
        }
        if (hello.udpPort() == 0) {
            refuse(connection, ErrorCode.PROTOCOL_ERROR, "UDP port 0 cannot be reached; announce the real port");
            return;
        }
        if (!StatusText.isValid(hello.status())) {
            refuse(connection, ErrorCode.BAD_STATUS, StatusText.badStatusMessage(hello.status()));
            return;
        }
        String key = Names.key(name);
        if (members.containsKey(key)) {
            refuse(connection, ErrorCode.NAME_TAKEN, "name taken: " + name);
            return;
        }
        connection.entry = new WireEntry(name, connection.remoteHost, hello.udpPort(), hello.presence(),
                hello.status(), false);
        connection.state = ClientConnection.State.MEMBER;
        members.put(key, connection);
        // logged before anyone hears of it, so the log never lags behind what clients see
        log.info(name + " logged in from " + connection.remoteHost + ", UDP port " + hello.udpPort()
                + " (" + members.size() + " online)");
        // the others get JOINED in this tick's batch; the newcomer the roster as it is when the tick ends
        connection.needsSnapshot = true;
        scheduleSnapshot(connection);
        addDelta(new Frame.Joined(connection.entry));
        rosterChanged = true;
    }

    /**
     * Sends an ERROR, then closes: a logged-in client leaves the roster at once; the socket is
     * half-closed after the frame is out, and input is drained until the peer closes (or a grace
     * period ends), so that unread input does not turn our close into a reset that loses the ERROR.
     */
    private void refuse(ClientConnection connection, ErrorCode code, String message) {
        if (connection.legacy) {
            refuseLegacy(connection, code, message);
            return;
        }
        rejects.merge(code, 1L, Long::sum);
        publishRejects();
        if (code == ErrorCode.NAME_TAKEN || code == ErrorCode.BAD_NAME) {
            log.info("login refused for " + connection.describe() + ": " + message);
        } else if (code == ErrorCode.TOO_MANY_CONNECTIONS || code == ErrorCode.SERVER_FULL) {
            log.debug("connection from " + connection.remoteHost + " refused: " + message);
        } else {
            log.warn("closing connection of " + connection.describe() + ": " + code + ": " + message);
        }
        if (connection.state == ClientConnection.State.MEMBER) {
            connection.state = ClientConnection.State.CLOSING;
            removeMember(connection, " left");
        }
        closeAfterFlush(connection, new Frame.Error(code, message));
    }

    private void closeAfterFlush(ClientConnection connection, Frame last) {
        connection.state = ClientConnection.State.CLOSING;
        release(connection);
        connection.deadlineNanos = System.nanoTime() + settings.closeGrace().toNanos();
        if (last != null) {
            connection.dropUnsent(); // a closing client needs no more roster updates, only the reason
            connection.enqueue(encoder.encode(last), true);
            framesOut++;
        }
        try {
            written(connection, connection.flush());
        } catch (IOException e) {
            forget(connection);
        }
    }

    /** After a write: a CLOSING connection whose last frame is out gets its output shut down. */
    private void written(ClientConnection connection, boolean allWritten) throws IOException {
        if (allWritten && connection.state == ClientConnection.State.CLOSING && !connection.outputShut) {
            connection.outputShut = true;
            connection.channel.shutdownOutput();
        }
    }

    /** A frame of its own for one member of our dialect (PING, PONG); even a full queue takes it. */
    private void send(ClientConnection connection, Frame frame) {
        if (connection.state != ClientConnection.State.MEMBER || connection.legacy) {
            return; // a legacy client gets roster lines only (see pushLegacyRoster)
        }
        ByteBuffer bytes = encoder.encode(frame);
        if (connection.wouldOverflow(bytes.remaining())) {
            fallBehind(connection);
        }
        connection.enqueue(bytes, true);
        framesOut++;
        flushQuietly(connection);
    }

    /**
     * Queues a view of bytes shared with other members (a delta batch, a snapshot, a legacy line).
     * When the member's queue is full it falls behind: its unsent updates are dropped and it gets a
     * fresh roster once it reads again. A snapshot or legacy line is queued all the same, since it
     * replaces everything dropped.
     */
    private void queueShared(ClientConnection connection, ByteBuffer shared, int frames, boolean replacesRoster) {
        if (connection.wouldOverflow(shared.remaining())) {
            fallBehind(connection);
            if (!replacesRoster) {
                return;
            }
        }
        connection.enqueue(shared.duplicate(), true);
        framesOut += frames;
        flushQuietly(connection);
    }

    private void flushQuietly(ClientConnection connection) {
        try {
            if (connection.flush() && connection.state == ClientConnection.State.MEMBER) {
                drained(connection);
            }
        } catch (IOException e) {
            pendingDrops.add(new Drop(connection, "connection lost: " + e.getMessage()));
        }
    }

    /** Its queue is full: drop what has not started to go out, send no deltas until it has caught up. */
    private void fallBehind(ClientConnection connection) {
        int dropped = connection.dropUnsent();
        resyncs++;
        if (connection.laggingSinceNanos == 0) {
            connection.laggingSinceNanos = System.nanoTime();
            log.info(connection.describe() + " is not reading its roster updates: " + dropped
                    + " queued bytes dropped; it gets a fresh roster when it reads again");
        }
        if (!connection.legacy) {
            connection.needsSnapshot = true;
            if (!connection.hasPendingOutput()) {
                scheduleSnapshot(connection); // nothing half sent: the snapshot can follow at once
            }
        }
    }

    /** Everything queued for a member is out: a slow reader that caught up gets its fresh snapshot. */
    private void drained(ClientConnection connection) {
        if (connection.laggingSinceNanos == 0) {
            return;
        }
        if (connection.needsSnapshot) {
            scheduleSnapshot(connection);
        } else {
            connection.laggingSinceNanos = 0; // its snapshot (or legacy line) is out: caught up
            log.info(connection.describe() + " has caught up with the roster");
        }
    }

    private void scheduleSnapshot(ClientConnection connection) {
        if (!connection.snapshotScheduled) {
            connection.snapshotScheduled = true;
            snapshotWaiters.add(connection);
            markPending();
        }
    }

    /** Adds a roster change to this tick's batch (encoded now, once, whoever will get it). */
    private void addDelta(Frame frame) {
        batch.append(encoder.encode(frame));
        batchFrames++;
        markPending();
    }

    private void markPending() {
        if (pendingSinceNanos == 0) {
            pendingSinceNanos = System.nanoTime();
        }
    }

    /**
     * The tick is over: the batch of deltas goes to every member that has the roster, the snapshot
     * (encoded once) to every member that needs one, a new line to the legacy clients.
     */
    private void endTick() {
        pendingSinceNanos = 0;
        if (rosterChanged) {
            publishNames(); // before anyone hears of the change
        }
        if (batchFrames > 0) {
            ByteBuffer deltas = batch.toSharedBuffer();
            int frames = batchFrames;
            batch.reset();
            batchFrames = 0;
            batchesSent++;
            for (ClientConnection member : members.values()) {
                if (!member.legacy && !member.needsSnapshot && member.state == ClientConnection.State.MEMBER) {
                    queueShared(member, deltas, frames, false);
                    maybeAccept(); // a long write-out must not overflow the accept queue
                }
            }
        }
        if (!snapshotWaiters.isEmpty()) {
            List<ClientConnection> waiting = new ArrayList<>(snapshotWaiters);
            snapshotWaiters.clear();
            ByteBuffer snapshot = null;
            int parts = 0;
            for (ClientConnection connection : waiting) {
                connection.snapshotScheduled = false;
                if (connection.state != ClientConnection.State.MEMBER || !connection.needsSnapshot
                        || (connection.laggingSinceNanos != 0 && connection.hasPendingOutput())) {
                    continue; // gone, or a slow reader still draining: scheduled again once drained
                }
                if (snapshot == null) {
                    List<Frame.Snapshot> frames = encoder.snapshotFrames(rosterEntries());
                    parts = frames.size();
                    snapshot = encodeShared(frames);
                    snapshotsEncoded++;
                }
                connection.needsSnapshot = false;
                queueShared(connection, snapshot, parts, true);
                maybeAccept();
                if (connection.confirmPresence) {
                    connection.confirmPresence = false;
                    send(connection, new Frame.PresenceChanged(connection.entry));
                }
            }
        }
        if (rosterChanged) {
            rosterChanged = false;
            pushLegacyRoster();
        }
    }

    /** Frames encoded one after another into one read-only direct buffer, to be shared. */
    private ByteBuffer encodeShared(List<? extends Frame> frames) {
        BatchBuffer out = new BatchBuffer();
        for (Frame frame : frames) {
            out.append(encoder.encode(frame));
        }
        return out.toSharedBuffer();
    }

    /** Takes a member off the roster, logs it ("NAME" + how + " (N online)") and tells everyone. */
    private void removeMember(ClientConnection connection, String how) {
        if (connection.entry != null && members.remove(Names.key(connection.entry.name()), connection)) {
            legacyMembers.remove(connection);
            // logged before anyone hears of it, so the log never lags behind what clients see
            log.info(connection.entry.name() + how + " (" + members.size() + " online)");
            addDelta(new Frame.Left(connection.entry.name()));
            rosterChanged = true;
        }
    }

    /** Encoded frames appended one after another; becomes one shared read-only buffer per tick. */
    private static final class BatchBuffer {
        private byte[] bytes = new byte[256];
        private int size;

        void append(ByteBuffer frame) {
            int n = frame.remaining();
            if (size + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
            frame.get(bytes, size, n);
            size += n;
        }

        /** A direct copy (written to every socket without another copy), read-only, at position 0. */
        ByteBuffer toSharedBuffer() {
            return ByteBuffer.allocateDirect(size).put(bytes, 0, size).flip().asReadOnlyBuffer();
        }

        void reset() {
            size = 0;
            if (bytes.length > 64 * 1024) {
                bytes = new byte[256]; // a burst of changes does not pin a big array for ever
            }
        }
    }

    // ---- the legacy text dialect (docs/LEGACY-PROTOCOL.md) ----

    /** Longest legacy line accepted; "login-" plus a 32-character name fits many times over. */
    private static final int MAX_LEGACY_LINE = 1024;

    /** Splits what arrived into lines and handles each; a partial line waits for the rest. */
    private void readLegacyLines(ClientConnection connection) {
        if (connection.partialLine == null) {
            connection.partialLine = new java.io.ByteArrayOutputStream();
        }
        while (readBuffer.hasRemaining() && connection.state != ClientConnection.State.CLOSING
                && connection.state != ClientConnection.State.CLOSED) {
            byte b = readBuffer.get();
            if (b != '\n') {
                connection.partialLine.write(b);
                if (connection.partialLine.size() > MAX_LEGACY_LINE) {
                    refuseLegacy(connection, ErrorCode.FRAME_TOO_LARGE, "legacy line longer than " + MAX_LEGACY_LINE
                            + " bytes");
                }
                continue;
            }
            String line = connection.partialLine.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
            connection.partialLine.reset();
            framesIn++;
            legacyLine(connection, line);
        }
    }

    private void legacyLine(ClientConnection connection, String line) {
        if (connection.state == ClientConnection.State.HANDSHAKE) {
            if (!line.startsWith("login-")) {
                refuseLegacy(connection, ErrorCode.PROTOCOL_ERROR, "expected login-NAME, got " + Names.quote(line));
                return;
            }
            String name = line.substring("login-".length());
            if (!Names.isValid(name)) {
                refuseLegacy(connection, ErrorCode.BAD_NAME, Names.badNameMessage(name));
                return;
            }
            String key = Names.key(name);
            if (members.containsKey(key)) {
                refuseLegacy(connection, ErrorCode.NAME_TAKEN, "name taken: " + name);
                return;
            }
            connection.entry = new WireEntry(name, connection.remoteHost, connection.remotePort, WirePresence.ONLINE,
                    "", true);
            connection.state = ClientConnection.State.MEMBER;
            try {
                // it never sends anything after login: let TCP notice a client that vanished
                connection.channel.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, true);
            } catch (IOException e) {
                log.debug("no TCP keepalive for " + name + ": " + e.getMessage());
            }
            members.put(key, connection);
            legacyMembers.add(connection);
            log.info(name + " logged in (legacy client) from " + connection.remoteHost + ", port "
                    + connection.remotePort + " (" + members.size() + " online)");
            // our clients get JOINED in this tick's batch, every legacy client (it too) a new line
            addDelta(new Frame.Joined(connection.entry));
            rosterChanged = true;
            return;
        }
        if (!withinRate(connection)) {
            refuseLegacy(connection, ErrorCode.TOO_MANY_REQUESTS, "too many lines");
            return;
        }
        if (line.startsWith("logout-")) {
            removeMember(connection, " logged out (legacy client)");
            closeAfterFlush(connection, null);
        }
        // the original client sends nothing else; anything else is ignored
    }

    /** The legacy dialect has no error message: count it, log it, close (a member leaves). */
    private void refuseLegacy(ClientConnection connection, ErrorCode code, String message) {
        rejects.merge(code, 1L, Long::sum);
        publishRejects();
        log.info("closing legacy connection of " + connection.describe() + ": " + message);
        if (connection.state == ClientConnection.State.MEMBER) {
            connection.state = ClientConnection.State.CLOSING;
            removeMember(connection, " left");
        }
        closeAfterFlush(connection, null);
    }

    /**
     * Sends every legacy member the whole roster as the original server did:
     * {@code NAME:IP:PORT!} per user, one line, encoded once for all of them.
     */
    private void pushLegacyRoster() {
        if (legacyMembers.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder();
        for (ClientConnection member : members.values()) {
            line.append(member.entry.name()).append(':').append(member.entry.host()).append(':')
                    .append(member.entry.udpPort()).append('!');
        }
        line.append('\n');
        ByteBuffer bytes = ByteBuffer.wrap(line.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .asReadOnlyBuffer();
        for (ClientConnection member : new ArrayList<>(legacyMembers)) {
            if (member.state == ClientConnection.State.MEMBER) {
                queueShared(member, bytes, 1, true);
            }
        }
    }

    /** Closes dropped connections; a member leaves the roster, which may make more drops. */
    private void processDrops() {
        Drop drop;
        while ((drop = pendingDrops.poll()) != null) {
            ClientConnection connection = drop.connection();
            ClientConnection.State was = connection.state;
            if (was == ClientConnection.State.CLOSED) {
                forget(connection);
                continue;
            }
            forget(connection);
            if (was == ClientConnection.State.MEMBER) {
                removeMember(connection, " left: " + drop.reason());
            } else {
                log.debug("connection from " + connection.remoteHost + " ended: " + drop.reason());
            }
        }
    }

    /** Handshake and close deadlines; heartbeats: PING a quiet member, remove a silent one. */
    private void checkDeadlines(long now) {
        ServerSettings limits = settings;
        long heartbeat = limits.heartbeatTimeout().toNanos();
        for (ClientConnection connection : new ArrayList<>(connections)) {
            switch (connection.state) {
                case HANDSHAKE -> {
                    if (now - connection.deadlineNanos >= 0) {
                        refuse(connection, ErrorCode.TIMEOUT, "no HELLO within "
                                + Durations.describe(limits.helloTimeout()));
                    }
                }
                case MEMBER -> {
                    if (connection.laggingSinceNanos != 0
                            && now - connection.laggingSinceNanos >= limits.slowReaderTimeout().toNanos()) {
                        slowReaders++;
                        publishRejects();
                        pendingDrops.add(new Drop(connection, "not reading its roster updates for "
                                + Durations.describe(limits.slowReaderTimeout())));
                        continue;
                    }
                    long silence = now - connection.lastReadNanos;
                    if (heartbeat <= 0 || connection.legacy) {
                        // the original client sends nothing after login and cannot answer a PING:
                        // it leaves by logout- or by closing (TCP keepalive catches a vanished one)
                        continue;
                    }
                    if (silence >= heartbeat) {
                        refuse(connection, ErrorCode.TIMEOUT, "no heartbeat within "
                                + Durations.describe(limits.heartbeatTimeout()));
                    } else if (silence >= heartbeat / 2 && !connection.pingOutstanding) {
                        connection.pingOutstanding = true;
                        send(connection, new Frame.Ping(now));
                    }
                }
                case CLOSING -> {
                    if (now - connection.deadlineNanos >= 0) {
                        forget(connection);
                    }
                }
                case CLOSED -> connections.remove(connection);
            }
        }
    }

    private void forget(ClientConnection connection) {
        release(connection);
        connection.close();
        connections.remove(connection);
    }

    private void publishRejects() {
        Map<String, Long> byReason = new java.util.TreeMap<>();
        rejects.forEach((code, n) -> byReason.put(code.name().toLowerCase(java.util.Locale.ROOT), n));
        if (slowReaders > 0) {
            byReason.put("slow_reader", slowReaders);
        }
        rejectsByReason = java.util.Collections.unmodifiableMap(byReason);
    }

    private void closeEverything() {
        int clients = members.size();
        ByteBuffer bye = encoder.encode(new Frame.Bye());
        for (ClientConnection connection : connections) {
            if (connection.state == ClientConnection.State.MEMBER) {
                try {
                    // one non-blocking attempt: a client that is not reading misses the BYE, not the close
                    connection.channel.write(bye.duplicate());
                } catch (IOException e) {
                    log.debug("no BYE for " + connection.describe() + ": " + e.getMessage());
                }
            }
            connection.close();
        }
        connections.clear();
        members.clear();
        legacyMembers.clear();
        snapshotWaiters.clear();
        publishNames();
        closeQuietly(listener, selector);
        log.info("roster server on " + boundAddress + " stopped (" + clients + (clients == 1 ? " client" : " clients")
                + " disconnected)");
    }

    private List<WireEntry> rosterEntries() {
        List<WireEntry> entries = new ArrayList<>(members.size());
        for (ClientConnection member : members.values()) {
            entries.add(member.entry);
        }
        return entries;
    }

    private void publishNames() {
        List<String> names = new ArrayList<>(members.size());
        for (ClientConnection member : members.values()) {
            names.add(member.entry.name());
        }
        memberNames = List.copyOf(names);
    }

    /** The textual IP; the wildcard address shows as 0.0.0.0 whatever the stack. */
    static String hostOf(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "0.0.0.0";
        }
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope >= 0 ? text.substring(0, scope) : text;
    }

    private static void closeQuietly(java.nio.channels.Channel channel, Selector selector) {
        try {
            if (selector != null) {
                selector.close();
            }
        } catch (IOException e) {
            // releasing a selector that failed: nothing more can be done
        }
        try {
            channel.close();
        } catch (IOException e) {
            // releasing a socket that failed: nothing more can be done
        }
    }
}
