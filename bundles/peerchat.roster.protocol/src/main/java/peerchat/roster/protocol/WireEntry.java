package peerchat.roster.protocol;

import java.util.Objects;

/**
 * One online user as the server describes them in SNAPSHOT, JOINED and PRESENCE_CHANGED.
 *
 * @param name     the user's name
 * @param host     the IP address the user's TCP connection came from
 * @param udpPort  the UDP port the user announced in HELLO (1 to 65535)
 * @param presence availability
 * @param status   free status text, empty when none
 * @param legacy   true for a client of the original text protocol (no acknowledgements)
 */
public record WireEntry(String name, String host, int udpPort, WirePresence presence, String status, boolean legacy) {

    public WireEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(status, "status");
        if (udpPort < 0 || udpPort > 0xFFFF) {
            throw new IllegalArgumentException("UDP port out of range: " + udpPort);
        }
    }

    /** A freshly logged-in user: online, no status text, speaking this protocol. */
    public static WireEntry online(String name, String host, int udpPort) {
        return new WireEntry(name, host, udpPort, WirePresence.ONLINE, "", false);
    }
}
