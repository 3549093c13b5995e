package peerchat.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;

/** A roster in memory. A login succeeds at once unless the test set a refusal or a hang. */
final class FakeRosterClient implements RosterClient {

    final List<RosterEntry> entries = new ArrayList<>();
    String userName;
    PeerAddress server = new PeerAddress("127.0.0.1", 5555);
    PeerAddress lastLoginServer;
    /** When set, login fails with this message. */
    String refusal;
    /** When true, login never completes. */
    boolean hang;
    int logouts;

    FakeRosterClient with(String name, String host, int port, Presence presence) {
        entries.add(new RosterEntry(name, new PeerAddress(host, port), presence, "", false));
        return this;
    }

    @Override
    public CompletionStage<List<RosterEntry>> login(String name, PeerAddress server) {
        lastLoginServer = server;
        if (hang) {
            return new CompletableFuture<>();
        }
        if (refusal != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(refusal));
        }
        if (server != null) {
            this.server = server;
        }
        userName = name;
        return CompletableFuture.completedFuture(roster());
    }

    @Override
    public CompletionStage<Void> logout() {
        logouts++;
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
        return server;
    }

    @Override
    public ConnectionState state() {
        return userName == null ? ConnectionState.DISCONNECTED : ConnectionState.ONLINE;
    }
}
