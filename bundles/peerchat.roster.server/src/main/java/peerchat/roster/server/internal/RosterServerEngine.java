package peerchat.roster.server.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import peerchat.api.dto.ServerInfo;
import peerchat.roster.protocol.log.Log;

/**
 * The roster server without OSGi: start, stop and report. Each start binds a new {@link ServerLoop}
 * (one selector thread); the component and the unit tests drive this class directly.
 */
public final class RosterServerEngine {

    private final Log log;
    private volatile ServerSettings settings;
    private final Object lifecycle = new Object();
    private volatile ServerLoop loop;
    /** The host asked for (not the bound one), to tell whether a start asks for the same address. */
    private String requestedHost = "";

    public RosterServerEngine(Log log) {
        this(log, ServerSettings.DEFAULTS);
    }

    public RosterServerEngine(Log log, ServerSettings settings) {
        this.log = log;
        this.settings = settings;
    }

    /**
     * Starts listening; when already running on the same host and port (or port 0) it stays as it is,
     * on another address it restarts (disconnecting everyone).
     *
     * @param host address to bind; null or empty for all interfaces
     * @throws IOException with a readable message when the port cannot be bound
     */
    public ServerInfo start(String host, int port) throws IOException {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range (0-65535): " + port);
        }
        String wanted = host == null ? "" : host.trim();
        synchronized (lifecycle) {
            ServerLoop current = loop;
            if (current != null && current.isRunning() && requestedHost.equals(wanted)
                    && (port == 0 || port == current.boundAddress().port())) {
                return info();
            }
            ServerLoop started = openReplacing(current, wanted, port);
            requestedHost = wanted;
            loop = started;
            log.info("roster server listening on " + started.boundAddress());
            return info();
        }
    }

    /**
     * Binds the new address while the old server still runs, so a failed move leaves it running;
     * only when the new address needs the old one's port is the old server stopped first.
     */
    private ServerLoop openReplacing(ServerLoop current, String host, int port) throws IOException {
        boolean running = current != null && current.isRunning();
        if (!running || port != current.boundAddress().port()) {
            ServerLoop started = ServerLoop.open(log, settings, host, port);
            stop();
            return started;
        }
        stop();
        return ServerLoop.open(log, settings, host, port);
    }

    /** Says BYE to every client, disconnects them and stops listening; nothing when not running. */
    public void stop() {
        synchronized (lifecycle) {
            ServerLoop current = loop;
            loop = null;
            if (current != null) {
                current.shutdown();
            }
        }
    }

    /** New limits, for the running server too (open connections keep what they already have). */
    public void update(ServerSettings newSettings) {
        synchronized (lifecycle) {
            settings = newSettings;
            ServerLoop current = loop;
            if (current != null) {
                current.update(newSettings);
            }
        }
    }

    /** The running loop, or null: counters for tests and benchmarks. */
    ServerLoop loop() {
        return loop;
    }

    /**
     * Delta batches sent, snapshots encoded and queue overflows (slow readers resynchronized) of the
     * running server, in this order; zeros when it is not running. For benchmarks.
     */
    public long[] batchCounters() {
        ServerLoop current = loop;
        if (current == null) {
            return new long[3];
        }
        return new long[] {current.batchesSent(), current.snapshotsEncoded(), current.resyncs()};
    }

    public ServerSettings settings() {
        return settings;
    }

    public ServerInfo info() {
        ServerLoop current = loop;
        if (current == null || !current.isRunning()) {
            return new ServerInfo(false, null, List.of());
        }
        return new ServerInfo(true, current.boundAddress(), current.memberNames(),
                Duration.ofNanos(current.uptimeNanos()), current.framesIn(), current.framesOut(), current.rejects());
    }
}
