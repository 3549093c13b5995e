package peerchat.chat.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;

/** A roster held in memory; tests set who is online and who we are. */
final class FakeRosterClient implements RosterClient {

    private final List<RosterEntry> entries = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile String userName;

    FakeRosterClient loggedInAs(String name) {
        userName = name;
        return this;
    }

    FakeRosterClient with(String name, String host, int port) {
        return with(name, host, port, false);
    }

    /** A client of the original application. */
    FakeRosterClient withLegacy(String name, String host, int port) {
        return with(name, host, port, true);
    }

    private FakeRosterClient with(String name, String host, int port, boolean legacy) {
        entries.add(new RosterEntry(name, new PeerAddress(host, port), Presence.ONLINE, "", legacy));
        entries.sort(Comparator.comparing(RosterEntry::name));
        return this;
    }

    /** That user left. */
    FakeRosterClient without(String name) {
        entries.removeIf(entry -> entry.name().equalsIgnoreCase(name));
        return this;
    }

    @Override
    public CompletionStage<List<RosterEntry>> login(String name, PeerAddress server) {
        userName = name;
        return CompletableFuture.completedFuture(roster());
    }

    @Override
    public CompletionStage<Void> logout() {
        userName = null;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<RosterEntry> roster() {
        return userName == null ? List.of() : List.copyOf(entries);
    }

    @Override
    public Optional<RosterEntry> find(String name) {
        return roster().stream().filter(entry -> entry.name().equalsIgnoreCase(name)).findFirst();
    }

    @Override
    public Optional<RosterEntry> findByAddress(PeerAddress address) {
        return roster().stream().filter(entry -> entry.address().equals(address)).findFirst();
    }

    @Override
    public Optional<String> userName() {
        return Optional.ofNullable(userName);
    }

    @Override
    public PeerAddress serverAddress() {
        return new PeerAddress("127.0.0.1", 5555);
    }

    @Override
    public ConnectionState state() {
        return userName == null ? ConnectionState.DISCONNECTED : ConnectionState.ONLINE;
    }
}
