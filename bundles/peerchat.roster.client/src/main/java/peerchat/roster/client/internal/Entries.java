package peerchat.roster.client.internal;

import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.roster.protocol.WireEntry;

/** Turns wire entries into the API's roster entries. */
final class Entries {

    private Entries() {
    }

    static RosterEntry toApi(WireEntry entry) {
        return new RosterEntry(entry.name(), new PeerAddress(entry.host(), entry.udpPort()), presence(entry),
                entry.status(), entry.legacy());
    }

    private static Presence presence(WireEntry entry) {
        return switch (entry.presence()) {
            case ONLINE -> Presence.ONLINE;
            case AWAY -> Presence.AWAY;
            case BUSY -> Presence.BUSY;
        };
    }
}
