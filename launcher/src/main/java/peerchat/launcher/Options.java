package peerchat.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * The parsed command line.
 *
 * @param server where this process hosts the roster server; null when it does not
 * @param connect the roster server the client uses
 * @param name the user to log in at start; empty for none
 * @param udpPort the local UDP port; 0 for any free port
 * @param data the data directory, absolute
 * @param features the requested features, in order, without duplicates (server added when hosting)
 */
record Options(boolean help, Mode mode, HostPort server, HostPort connect, String name, int udpPort, Path data,
        List<String> features) {

    boolean hostsServer() {
        return server != null;
    }

    boolean logsIn() {
        return !name.isEmpty();
    }
}
