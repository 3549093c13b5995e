package peerchat.api.dto;

/**
 * One online user as the roster server reports them.
 *
 * @param name     unique (case-insensitive) user name
 * @param address  the user's UDP endpoint, where chat messages go
 * @param presence availability
 * @param status   free status text, empty when none
 * @param legacy   true for a client of the original application (no acknowledgements)
 */
public record RosterEntry(String name, PeerAddress address, Presence presence, String status, boolean legacy) {
}
