package peerchat.roster.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.RosterEntry;
import peerchat.roster.protocol.ErrorCode;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameDecoder;
import peerchat.roster.protocol.FrameEncoder;
import peerchat.roster.protocol.Protocol;
import peerchat.roster.protocol.ProtocolException;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;
import peerchat.roster.protocol.log.Log;

/**
 * One connection to a roster server, from connect to close, driven by its own reader thread:
 * connect, HELLO, wait for the SNAPSHOT, then follow the updates. What it learns goes to the
 * {@link RosterClientEngine}, which ignores a session that is no longer the current one.
 */
final class ClientSession implements Runnable {

    /** How long a logout waits for the server to acknowledge BYE by closing its side. */
    private static final long BYE_WAIT_MILLIS = 1000;

    final String name;
    final PeerAddress server;
    final int udpPort;
    /** Presence announced in HELLO (kept over reconnections). */
    final WirePresence presence;
    final String status;
    /** True for an automatic reconnection: its failures schedule another attempt instead of ending. */
    final boolean reconnect;
    /** Completes with the first roster, or fails with a readable message. */
    final CompletableFuture<List<RosterEntry>> login = new CompletableFuture<>();

    private final RosterClientEngine engine;
    private final ClientSettings settings;
    private final Log log;
    private final FrameEncoder encoder = new FrameEncoder();
    private final FrameDecoder decoder = new FrameDecoder();
    private final byte[] readBuffer = new byte[8192];
    private ByteBuffer unread = ByteBuffer.allocate(0);
    private final Thread thread;

    private Socket socket; // guarded by this
    private volatile boolean closedByUs;
    /** System.nanoTime() of the last bytes from the server and of our last frame: heartbeats. */
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile long lastSentNanos = System.nanoTime();

    ClientSession(RosterClientEngine engine, ClientSettings settings, Log log, String name, PeerAddress server,
            int udpPort, WirePresence presence, String status, boolean reconnect) {
        this.engine = engine;
        this.settings = settings;
        this.log = log;
        this.name = name;
        this.server = server;
        this.udpPort = udpPort;
        this.presence = presence;
        this.status = status;
        this.reconnect = reconnect;
        this.thread = new Thread(this, "peerchat-roster-client-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        Socket s = null;
        try {
            s = connect();
            if (s == null) {
                return; // closed while connecting
            }
            List<WireEntry> roster = handshake(s);
            if (engine.loggedIn(this, roster)) {
                s.setSoTimeout(0);
                follow(s);
            }
        } catch (LoginFailure e) {
            if (!closedByUs) {
                engine.loginFailed(this, e.getMessage());
            }
        } catch (IOException e) {
            if (!closedByUs) {
                engine.lost(this, e.getMessage());
            }
        } finally {
            if (s != null) {
                closeSocket(s);
            }
        }
    }

    /**
     * Ends the session from our side: BYE when asked (logged in), then waits briefly for the server
     * to close its side, so a following login with the same name finds it free, then closes.
     */
    void close(boolean sayBye) {
        closedByUs = true;
        Socket s;
        synchronized (this) {
            s = socket;
        }
        if (s == null) {
            return; // not connected yet: run() sees closedByUs and stops
        }
        if (sayBye) {
            try {
                send(new Frame.Bye());
                if (Thread.currentThread() != thread) {
                    thread.join(BYE_WAIT_MILLIS);
                }
            } catch (IOException e) {
                log.debug("could not say BYE to " + server + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeSocket(s);
    }

    private Socket connect() throws LoginFailure {
        Socket s = new Socket();
        synchronized (this) {
            if (closedByUs) {
                return null;
            }
            socket = s;
        }
        try {
            s.connect(new InetSocketAddress(server.host(), server.port()),
                    (int) settings.connectTimeout().toMillis());
            s.setTcpNoDelay(true);
            return s;
        } catch (UnknownHostException e) {
            throw new LoginFailure("cannot reach roster server " + server + ": unknown host " + server.host());
        } catch (SocketTimeoutException e) {
            throw new LoginFailure("cannot reach roster server " + server + ": no answer within "
                    + describe(settings.connectTimeout()));
        } catch (IOException e) {
            throw new LoginFailure("cannot reach roster server " + server + ": " + e.getMessage());
        }
    }

    private List<WireEntry> handshake(Socket s) throws LoginFailure {
        long deadline = System.nanoTime() + settings.answerTimeout().toNanos();
        List<WireEntry> roster = new ArrayList<>();
        try {
            send(new Frame.Hello(Protocol.VERSION, name, udpPort, presence, status));
            while (true) {
                Frame frame = read(s, deadline);
                switch (frame) {
                    case null -> throw new LoginFailure("roster server " + server + " closed the connection during login");
                    case Frame.Snapshot part -> {
                        roster.addAll(part.entries());
                        if (!part.more()) {
                            return roster;
                        }
                    }
                    case Frame.Error error -> throw new LoginFailure(error.message().isEmpty()
                            ? "roster server " + server + " refused the login: " + error.code() : error.message());
                    case Frame.Ping ping -> send(new Frame.Pong(ping.token()));
                    default -> throw protocolFailure(new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                            "expected SNAPSHOT, got " + frame.type()));
                }
            }
        } catch (SocketTimeoutException e) {
            throw new LoginFailure("roster server " + server + " did not answer within "
                    + describe(settings.answerTimeout()));
        } catch (ProtocolException e) {
            throw protocolFailure(e);
        } catch (IOException e) {
            throw new LoginFailure("lost connection to roster server " + server + " during login: " + e.getMessage());
        }
    }

    /**
     * Logged in: applies updates until the connection ends. Sends a PING whenever it has sent
     * nothing for the ping interval, and gives the server up when nothing came for the heartbeat
     * timeout (a server that vanished without closing: crash, cable, firewall).
     */
    private void follow(Socket s) throws IOException {
        List<WireEntry> snapshotParts = new ArrayList<>();
        long interval = Math.max(1, settings.pingInterval().toNanos());
        long timeout = settings.heartbeatTimeout().toNanos();
        s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.pingInterval().toMillis() / 2 + 1)));
        lastHeardNanos = System.nanoTime();
        try {
            while (true) {
                Frame frame;
                boolean quiet = false;
                try {
                    frame = read(s, 0);
                } catch (SocketTimeoutException e) {
                    frame = null;
                    quiet = true;
                }
                long now = System.nanoTime();
                if (timeout > 0 && now - lastHeardNanos >= timeout) {
                    engine.lost(this, "no word from the server within " + describe(settings.heartbeatTimeout()));
                    return;
                }
                if (now - lastSentNanos >= interval) {
                    send(new Frame.Ping(now));
                }
                if (quiet) {
                    continue;
                }
                switch (frame) {
                    case null -> {
                        engine.lost(this, "connection closed by the server");
                        return;
                    }
                    case Frame.Joined joined -> engine.joined(this, joined.entry());
                    case Frame.Left left -> engine.left(this, left.name());
                    case Frame.PresenceChanged changed -> engine.changed(this, changed.entry());
                    case Frame.Snapshot part -> {
                        // a fresh full roster from the server (not sent after login today, accepted anyway)
                        snapshotParts.addAll(part.entries());
                        if (!part.more()) {
                            engine.snapshot(this, List.copyOf(snapshotParts));
                            snapshotParts.clear();
                        }
                    }
                    case Frame.Ping ping -> send(new Frame.Pong(ping.token()));
                    case Frame.Pong pong -> {
                        // the answer to a heartbeat: that it arrived is what counts (lastHeardNanos)
                    }
                    case Frame.Bye bye -> {
                        engine.lost(this, "the server ended the session");
                        return;
                    }
                    case Frame.Error error -> {
                        engine.lost(this, "the server reported " + error.code() + ": " + error.message());
                        return;
                    }
                    case Frame.Hello hello -> throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                            "HELLO is not a server frame");
                    case Frame.SetPresence set -> throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                            "SET_PRESENCE is not a server frame");
                }
            }
        } catch (ProtocolException e) {
            sendErrorQuietly(e);
            engine.lost(this, "the server broke the protocol: " + e.getMessage());
        }
    }

    /** Sends the user's new presence; the server confirms with a PRESENCE_CHANGED for the user. */
    void sendPresence(WirePresence newPresence, String newStatus) throws IOException {
        send(new Frame.SetPresence(newPresence, newStatus));
    }

    /**
     * The next frame, or null at end of stream.
     *
     * @param deadline System.nanoTime() by which a frame must be complete; 0 to wait forever
     */
    private Frame read(Socket s, long deadline) throws IOException {
        InputStream in = s.getInputStream();
        while (true) {
            Frame frame = decoder.decode(unread);
            if (frame != null) {
                return frame;
            }
            if (deadline != 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer in time");
                }
                s.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            }
            int n = in.read(readBuffer);
            if (n < 0) {
                return null;
            }
            lastHeardNanos = System.nanoTime();
            unread = ByteBuffer.wrap(readBuffer, 0, n);
        }
    }

    private void send(Frame frame) throws IOException {
        byte[] bytes = encoder.encodeToArray(frame);
        Socket s;
        synchronized (this) {
            s = socket;
        }
        if (s == null) {
            throw new IOException("not connected");
        }
        OutputStream out = s.getOutputStream();
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
        lastSentNanos = System.nanoTime();
    }

    private LoginFailure protocolFailure(ProtocolException e) {
        sendErrorQuietly(e);
        return new LoginFailure("roster server " + server + " broke the protocol: " + e.getMessage());
    }

    /** Tells the server why we hang up; it may already be gone, which changes nothing. */
    private void sendErrorQuietly(ProtocolException e) {
        try {
            send(new Frame.Error(e.code(), e.getMessage()));
        } catch (IOException sendFailure) {
            log.debug("could not send ERROR to " + server + ": " + sendFailure.getMessage());
        }
    }

    private void closeSocket(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            log.debug("closing the connection to " + server + ": " + e.getMessage());
        }
    }

    /** "5 s", or "300 ms" below a second. */
    static String describe(java.time.Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /** A login that did not succeed, with the message the user sees. */
    private static final class LoginFailure extends Exception {
        private static final long serialVersionUID = 1L;

        LoginFailure(String message) {
            super(message, null, false, false);
        }
    }
}
