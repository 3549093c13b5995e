package peerchat.ui.workbench.internal;


import peerchat.api.chat.ChatService;
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
 * @param onlineAs   the name logged in with while online, else empty (for the window title)
 * @param storeFault e.g. {@code cannot store messages: disk full} while the chat core cannot store
 *                   messages ({@link ChatService#storeFault()}), else empty
 */
record Status(String connection, String me, String server, ConnectionState state, String onlineAs, String storeFault) {

    static Status of(RosterClient roster, MessageTransport transport, RosterServer server) {
        return of(roster, transport, server, null);
    }

    static Status of(RosterClient roster, MessageTransport transport, RosterServer server, ChatService chat) {
        ConnectionState state = roster == null ? ConnectionState.DISCONNECTED : roster.state();
        String connection;
        if (roster == null) {
            connection = Texts.get("status.noClient");
        } else {
            PeerAddress at = roster.serverAddress();
            connection = switch (state) {
                case ONLINE -> Texts.get("status.online", at);
                case CONNECTING -> Texts.get("status.connecting", at);
                case RECONNECTING -> Texts.get("status.reconnecting", at);
                case DISCONNECTED -> Texts.get("status.offline");
            };
        }
        String name = roster == null ? "" : roster.userName().orElse("");
        String udp = transport == null ? Texts.get("status.noTransport") : Texts.get("status.udp", transport.localAddress());
        String me = name.isEmpty() ? Texts.get("status.notLoggedIn", udp) : Texts.get("status.me", name, udp);
        String hosted;
        if (server == null) {
            hosted = Texts.get("status.noServerBundle");
        } else {
            ServerInfo info = server.info();
            hosted = info.running()
                    ? Texts.get("status.serverRunning", info.address(), info.clients().size())
                    : Texts.get("status.serverStopped");
        }
        String fault = "";
        if (chat != null) {
            try {
                fault = chat.storeFault().map(reason -> Texts.get("status.storeFault", reason)).orElse("");
            } catch (RuntimeException e) {
                // the chat core going away while asked: nothing to report
                fault = "";
            }
        }
        return new Status(connection, me, hosted, state, !name.isEmpty() && state == ConnectionState.ONLINE ? name : "",
                fault);
    }
}
