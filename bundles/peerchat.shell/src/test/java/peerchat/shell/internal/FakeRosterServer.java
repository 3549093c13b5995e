package peerchat.shell.internal;

import java.io.IOException;
import java.util.List;

import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.ServerInfo;
import peerchat.api.server.RosterServer;

/** Records start/stop; a start can be made to fail as a port in use would. */
final class FakeRosterServer implements RosterServer {

    ServerInfo info = new ServerInfo(false, null, List.of());
    String startedHost = "not called";
    int startedPort = -1;
    IOException failure;

    @Override
    public ServerInfo start(String host, int port) throws IOException {
        startedHost = host;
        startedPort = port;
        if (failure != null) {
            throw failure;
        }
        info = new ServerInfo(true, new PeerAddress(host == null ? "0.0.0.0" : host, port), List.of());
        return info;
    }

    @Override
    public void stop() {
        info = new ServerInfo(false, null, List.of());
    }

    @Override
    public ServerInfo info() {
        return info;
    }
}
