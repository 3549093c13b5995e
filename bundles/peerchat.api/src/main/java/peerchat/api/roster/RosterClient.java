package peerchat.api.roster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;

/**
 * The client side of the roster: one login at a time to one roster server, which then keeps the
 * list of online users up to date. Changes go to every registered {@link RosterListener}.
 */
@ProviderType
public interface RosterClient {

    /**
     * Logs in with a name, announcing the local UDP transport's port. Completes with the first
     * roster snapshot, or exceptionally with a readable message (name taken, server unreachable).
     *
     * @param server the roster server; null for the configured one
     */
    CompletionStage<List<RosterEntry>> login(String name, PeerAddress server);

    /** Logs out and closes the connection; completes at once when not logged in. */
    CompletionStage<Void> logout();

    /** The online users, sorted by name, yourself included; empty when not logged in. */
    List<RosterEntry> roster();

    /** The user with this name (case-insensitive), if online. */
    Optional<RosterEntry> find(String name);

    /** The user whose UDP endpoint this is, if any. */
    Optional<RosterEntry> findByAddress(PeerAddress address);

    /** The name logged in with, if logged in. */
    Optional<String> userName();

    /** The server this client uses or last used. */
    PeerAddress serverAddress();

    ConnectionState state();

    /**
     * Tells everyone your presence and status text. Completes when the server has confirmed it
     * (your own entry in the roster then shows it), or exceptionally with a readable message: not
     * logged in, a status text over 140 characters or on several lines, the server gone. The
     * presence is kept for reconnections and for the next login.
     *
     * @param status free text, at most 140 characters, no line breaks; null or empty for none
     * @since 1.1
     */
    default CompletionStage<Void> setPresence(Presence presence, String status) {
        return java.util.concurrent.CompletableFuture
                .failedFuture(new UnsupportedOperationException("this roster client cannot set presence"));
    }

    /**
     * True while the roster is stale: the link to the server is down ({@link ConnectionState#RECONNECTING})
     * and the entries are the last ones known.
     *
     * @since 1.1
     */
    default boolean stale() {
        return state() == ConnectionState.RECONNECTING;
    }
}
