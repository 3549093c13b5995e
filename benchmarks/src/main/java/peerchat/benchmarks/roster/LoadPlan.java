package peerchat.benchmarks.roster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import peerchat.roster.protocol.Names;
import peerchat.roster.protocol.WireEntry;

/**
 * Who the simulated clients are: client {@code i} is named {@code c00042}, announces UDP port
 * {@code 10000 + i} and connects from one of several loopback addresses (so that no source address
 * runs out of ephemeral ports). The load generator and the bare baseline server both derive the
 * same roster from it, so the baseline writes exactly the bytes of the real roster.
 */
final class LoadPlan {

    /** Clients per source address: well below the ~28,000 ephemeral ports of one address. */
    static final int CLIENTS_PER_ADDRESS = 2_000;

    private LoadPlan() {
    }

    static String name(int i) {
        return String.format("c%05d", i);
    }

    static int udpPort(int i) {
        return 10_000 + i;
    }

    /** The source address of client {@code i}; {@code net} keeps the runs apart (127.0.net.x). */
    static String sourceAddress(int net, int i) {
        return "127.0." + net + "." + (1 + i / CLIENTS_PER_ADDRESS);
    }

    static WireEntry entry(int net, int i) {
        return WireEntry.online(name(i), sourceAddress(net, i), udpPort(i));
    }

    /** The complete roster of {@code n} clients, sorted as the server sorts it. */
    static List<WireEntry> roster(int net, int n) {
        List<WireEntry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(entry(net, i));
        }
        entries.sort(Comparator.comparing(e -> Names.key(e.name())));
        return entries;
    }
}
