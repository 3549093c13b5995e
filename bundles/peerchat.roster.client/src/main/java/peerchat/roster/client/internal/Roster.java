package peerchat.roster.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.RosterEntry;
import peerchat.roster.protocol.Names;

/**
 * An immutable roster: entries by case-insensitive name, listed in that order. Changes make a
 * new instance, so readers on any thread see a consistent list without locking.
 */
final class Roster {

    static final Roster EMPTY = new Roster(new TreeMap<>());

    private final TreeMap<String, RosterEntry> byKey;
    private final List<RosterEntry> sorted;

    private Roster(TreeMap<String, RosterEntry> byKey) {
        this.byKey = byKey;
        this.sorted = List.copyOf(byKey.values());
    }

    static Roster of(List<RosterEntry> entries) {
        TreeMap<String, RosterEntry> map = new TreeMap<>();
        for (RosterEntry entry : entries) {
            map.put(Names.key(entry.name()), entry);
        }
        return new Roster(map);
    }

    /** This roster with the entry added or replaced. */
    Roster with(RosterEntry entry) {
        TreeMap<String, RosterEntry> map = new TreeMap<>(byKey);
        map.put(Names.key(entry.name()), entry);
        return new Roster(map);
    }

    /** This roster without that user (the same instance when they are not in it). */
    Roster without(String name) {
        if (!byKey.containsKey(Names.key(name))) {
            return this;
        }
        TreeMap<String, RosterEntry> map = new TreeMap<>(byKey);
        map.remove(Names.key(name));
        return new Roster(map);
    }

    /** Sorted by name, case-insensitively. */
    List<RosterEntry> entries() {
        return sorted;
    }

    Optional<RosterEntry> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byKey.get(Names.key(name)));
    }

    /**
     * The entry with exactly this host and port; failing that, when the address is a loopback
     * one, the only entry with this port. Why: the roster lists the IP the server saw on the
     * user's TCP connection, while a datagram from a peer on this very machine can arrive from
     * 127.0.0.1 (e.g. the server sits on another host, so the roster has our LAN address, but
     * the local peer reached us over loopback). Ports are unique per machine, so a loopback
     * source plus a port that only one entry has still names one user; with two candidates we
     * refuse to guess.
     */
    Optional<RosterEntry> findByAddress(PeerAddress address) {
        if (address == null) {
            return Optional.empty();
        }
        List<RosterEntry> samePort = new ArrayList<>();
        for (RosterEntry entry : sorted) {
            if (entry.address().port() == address.port()) {
                if (entry.address().host().equals(address.host())) {
                    return Optional.of(entry);
                }
                samePort.add(entry);
            }
        }
        if (samePort.size() == 1 && isLoopback(address.host())) {
            return Optional.of(samePort.get(0));
        }
        return Optional.empty();
    }

    /** Textual check only: no name lookup may happen here. */
    static boolean isLoopback(String host) {
        return host.startsWith("127.") || host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")
                || host.equalsIgnoreCase("localhost");
    }
}
