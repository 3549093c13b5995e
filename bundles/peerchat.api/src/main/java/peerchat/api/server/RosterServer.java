package peerchat.api.server;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

import peerchat.api.dto.ServerInfo;

/** The embedded roster server: off until configured or started. */
@ProviderType
public interface RosterServer {

    /**
     * Starts listening (restarting if already running on another address).
     *
     * @param host address to bind; null or empty for all interfaces
     * @param port TCP port; 0 for any free port
     * @throws IOException when the port cannot be bound (e.g. in use), with a readable message
     */
    ServerInfo start(String host, int port) throws IOException;

    /** Disconnects every client and stops listening; does nothing when not running. */
    void stop();

    ServerInfo info();
}
