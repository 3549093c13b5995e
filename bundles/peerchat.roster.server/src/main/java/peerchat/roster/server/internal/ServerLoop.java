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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import peerchat.api.dto.PeerAddress;
import peerchat.roster.protocol.ErrorCode;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameEncoder;
import peerchat.roster.protocol.Names;
import peerchat.roster.protocol.ProtocolException;
import peerchat.roster.protocol.WireEntry;

/**
 * One listening roster server: a bound socket, one selector thread and the roster of the clients
 * connected to it. Everything but {@link #shutdown} and the volatile getters runs on that thread.
 */
final class ServerLoop implements Runnable {

    private static final long SELECT_MILLIS = 250;

    private final Log log;
    private final ServerSettings settings;
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

    private volatile boolean stopRequested;
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
            listener.bind(address);
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
                selector.select(SELECT_MILLIS);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                    processDrops();
                }
                checkDeadlines();
                processDrops();
            }
        } catch (IOException | RuntimeException e) {
            log.error("roster server on " + boundAddress + " failed and stops: " + e, e);
        } finally {
            closeEverything();
            running = false;
        }
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
                written(connection, connection.flush());
            }
        } catch (IOException e) {
            pendingDrops.add(new Drop(connection, "connection lost: " + e.getMessage()));
        } catch (RuntimeException e) {
            // a bug must cost one connection, never the whole server
            log.error("unexpected failure while serving " + connection.describe(), e);
            pendingDrops.add(new Drop(connection, "internal error"));
        }
    }

    private void acceptAll() {
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
                String remoteHost = hostOf(((InetSocketAddress) channel.getRemoteAddress()).getAddress());
                ClientConnection connection = new ClientConnection(channel, remoteHost, settings.maxQueuedBytes());
                connection.deadlineNanos = System.nanoTime() + settings.helloTimeout().toNanos();
                connection.attach(channel.register(selector, SelectionKey.OP_READ, connection));
                connections.add(connection);
                log.debug("connection from " + remoteHost);
            } catch (IOException e) {
                log.warn("cannot set up a connection on " + boundAddress + ": " + e.getMessage());
                closeQuietly(channel, null);
            }
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
        readBuffer.flip();
        try {
            Frame frame;
            while (connection.state != ClientConnection.State.CLOSING
                    && connection.state != ClientConnection.State.CLOSED
                    && (frame = connection.decoder.decode(readBuffer)) != null) {
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
        switch (frame) {
            case Frame.Ping ping -> send(connection, new Frame.Pong(ping.token()));
            case Frame.Pong pong -> {
                // answers to our own pings; nothing to do until heartbeats arrive
            }
            case Frame.Bye bye -> {
                removeMember(connection);
                log.info(connection.entry.name() + " logged out (" + members.size() + " online)");
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
        String key = Names.key(name);
        if (members.containsKey(key)) {
            refuse(connection, ErrorCode.NAME_TAKEN, "name taken: " + name);
            return;
        }
        connection.entry = WireEntry.online(name, connection.remoteHost, hello.udpPort());
        connection.state = ClientConnection.State.MEMBER;
        members.put(key, connection);
        publishNames();
        for (Frame.Snapshot part : encoder.snapshotFrames(rosterEntries())) {
            send(connection, part);
        }
        broadcast(new Frame.Joined(connection.entry), connection);
        log.info(name + " logged in from " + connection.remoteHost + ", UDP port " + hello.udpPort()
                + " (" + members.size() + " online)");
    }

    /**
     * Sends an ERROR, then closes: a logged-in client leaves the roster at once; the socket is
     * half-closed after the frame is out, and input is drained until the peer closes (or a grace
     * period ends), so that unread input does not turn our close into a reset that loses the ERROR.
     */
    private void refuse(ClientConnection connection, ErrorCode code, String message) {
        if (code == ErrorCode.NAME_TAKEN || code == ErrorCode.BAD_NAME) {
            log.info("login refused for " + connection.describe() + ": " + message);
        } else {
            log.warn("closing connection of " + connection.describe() + ": " + code + ": " + message);
        }
        if (connection.state == ClientConnection.State.MEMBER) {
            connection.state = ClientConnection.State.CLOSING;
            removeMember(connection);
            log.info(connection.entry.name() + " left (" + members.size() + " online)");
        }
        closeAfterFlush(connection, new Frame.Error(code, message));
    }

    private void closeAfterFlush(ClientConnection connection, Frame last) {
        connection.state = ClientConnection.State.CLOSING;
        connection.deadlineNanos = System.nanoTime() + settings.closeGrace().toNanos();
        if (last != null) {
            connection.enqueue(encoder.encode(last), true);
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

    private void send(ClientConnection connection, Frame frame) {
        if (connection.state != ClientConnection.State.MEMBER) {
            return;
        }
        if (!connection.enqueue(encoder.encode(frame), false)) {
            pendingDrops.add(new Drop(connection, "not reading its roster updates (" + settings.maxQueuedBytes()
                    + " bytes queued)"));
            return;
        }
        try {
            connection.flush();
        } catch (IOException e) {
            pendingDrops.add(new Drop(connection, "connection lost: " + e.getMessage()));
        }
    }

    private void broadcast(Frame frame, ClientConnection except) {
        for (ClientConnection member : new ArrayList<>(members.values())) {
            if (member != except) {
                send(member, frame);
            }
        }
    }

    private void removeMember(ClientConnection connection) {
        if (connection.entry != null && members.remove(Names.key(connection.entry.name()), connection)) {
            publishNames();
            broadcast(new Frame.Left(connection.entry.name()), connection);
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
                removeMember(connection);
                log.info(connection.entry.name() + " left: " + drop.reason() + " (" + members.size() + " online)");
            } else {
                log.debug("connection from " + connection.remoteHost + " ended: " + drop.reason());
            }
        }
    }

    private void checkDeadlines() {
        long now = System.nanoTime();
        for (ClientConnection connection : new ArrayList<>(connections)) {
            if (now - connection.deadlineNanos < 0) {
                continue;
            }
            if (connection.state == ClientConnection.State.HANDSHAKE) {
                refuse(connection, ErrorCode.PROTOCOL_ERROR,
                        "no HELLO within " + settings.helloTimeout().toSeconds() + " s");
            } else if (connection.state == ClientConnection.State.CLOSING) {
                forget(connection);
            }
        }
    }

    private void forget(ClientConnection connection) {
        connection.close();
        connections.remove(connection);
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
