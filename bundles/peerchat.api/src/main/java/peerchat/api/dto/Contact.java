package peerchat.api.dto;

import java.time.Instant;

/**
 * Someone you have chatted with or seen online, as the contacts list shows them.
 *
 * @param name     user name
 * @param presence their presence while online, null while offline
 * @param lastSeen when they were last seen online (now while online), null if never
 * @since 1.3
 */
public record Contact(String name, Presence presence, Instant lastSeen) {
}
