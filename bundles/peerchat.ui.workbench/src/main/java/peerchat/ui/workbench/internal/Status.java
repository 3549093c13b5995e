package peerchat.ui.workbench.internal;


import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.ServerInfo;
import peerchat.api.roster.RosterClient;
import peerchat.api.server.RosterServer;
import peerchat.api.transport.MessageTransport;

/**
 * What the status bar shows, as three texts; computed off the UI thread from the services present.
 *
 * @param connection e.g. {@code online at 127.0.0.1:5555}
 * @param me         e.g. {@code alice @ udp 127.0.0.1:40123}
 * @param server     e.g. {@code server 0.0.0.0:5555, 2 clients} or {@code no server}
 */
record Status(String connection, String me, String server, ConnectionState state) {

    static Status of(RosterClient roster, MessageTransport transport, RosterServer server) {
        ConnectionState state = roster == null ? ConnectionState.DISCONNECTED : roster.state();
        String connection;
        if (roster == null) {
            connection = "no roster client";
        } else {
            PeerAddress at = roster.serverAddress();
            connection = switch (state) {
                case ONLINE -> "online at " + at;
                case CONNECTING -> "connecting to " + at + "…";
                case RECONNECTING -> "reconnecting to " + at + "… (roster may be stale)";
                case DISCONNECTED -> "offline";
            };
        }
        String name = roster == null ? "" : roster.userName().orElse("");
        String udp = transport == null ? "no UDP transport" : "udp " + transport.localAddress();
        String me = name.isEmpty() ? "not logged in · " + udp : name + " · " + udp;
        String hosted;
        if (server == null) {
            hosted = "no server bundle";
        } else {
            ServerInfo info = server.info();
            hosted = info.running()
                    ? "server " + info.address() + " · " + info.clients().size()
                            + (info.clients().size() == 1 ? " client" : " clients")
                    : "server stopped";
        }
        return new Status(connection, me, hosted, state);
    }
}
