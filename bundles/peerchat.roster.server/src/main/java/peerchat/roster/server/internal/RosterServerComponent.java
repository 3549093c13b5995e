package peerchat.roster.server.internal;

import java.io.IOException;
import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.dto.ServerInfo;
import peerchat.api.server.RosterServer;
import peerchat.roster.protocol.log.OsgiLog;

/**
 * The embedded roster server as a service. Off unless configured with {@code enabled=true} or
 * started through {@link #start}; a port in use is logged and leaves the component active but not
 * running, so the shell can still start it elsewhere.
 */
@Component(
        service = RosterServer.class,
        immediate = true,
        configurationPid = RosterServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RosterServerConfig.class)
public class RosterServerComponent implements RosterServer {

    static final String PID = "peerchat.roster.server";

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    private RosterServerEngine engine;

    @Activate
    void activate(RosterServerConfig config) {
        engine = new RosterServerEngine(new OsgiLog(logger), settings(config));
        apply(config);
    }

    /** A new configuration: start, move or stop the server accordingly, without reactivation. */
    @Modified
    void modified(RosterServerConfig config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        engine.stop();
    }

    private void apply(RosterServerConfig config) {
        engine.update(settings(config));
        if (!config.enabled()) {
            engine.stop();
            return;
        }
        try {
            engine.start(config.host(), config.port());
        } catch (IOException | IllegalArgumentException e) {
            logger.error("{}", e.getMessage());
        }
    }

    static ServerSettings settings(RosterServerConfig config) {
        ServerSettings d = ServerSettings.DEFAULTS;
        return new ServerSettings(d.readBufferBytes(), Math.max(64 * 1024, config.maxQueuedBytes()),
                Duration.ofMillis(Math.max(100, config.handshakeTimeoutMillis())), d.closeGrace(),
                Duration.ofMillis(Math.max(0, config.heartbeatTimeoutMillis())),
                Math.max(0, config.maxRequestsPerSecond()), Math.max(1, config.requestBurst()),
                Math.max(0, config.maxConnectionsPerIp()), Math.max(0, config.maxClients()),
                Duration.ofMillis(Math.min(1000, Math.max(1, config.deltaTickMillis()))),
                Duration.ofMillis(Math.max(100, config.slowReaderTimeoutMillis())));
    }

    @Override
    public ServerInfo start(String host, int port) throws IOException {
        return engine.start(host, port);
    }

    @Override
    public void stop() {
        engine.stop();
    }

    @Override
    public ServerInfo info() {
        return engine.info();
    }
}
