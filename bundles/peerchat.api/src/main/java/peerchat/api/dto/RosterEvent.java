package peerchat.api.dto;

import java.util.List;

/**
 * A change of the roster as seen by the roster client.
 *
 * @param kind   what happened
 * @param entry  the user concerned; null for SNAPSHOT and DISCONNECTED
 * @param roster the whole roster after the change, sorted by name
 */
public record RosterEvent(Kind kind, RosterEntry entry, List<RosterEntry> roster) {
    public enum Kind {
        /** A full roster arrived (after login or reconnect). */
        SNAPSHOT,
        JOINED,
        LEFT,
        /** Presence or status of a user changed. */
        CHANGED,
        /**
         * The connection to the roster server ended. After a logout or a refusal the roster is
         * empty; when the client is reconnecting it holds the last known (stale) entries.
         */
        DISCONNECTED
    }
}
