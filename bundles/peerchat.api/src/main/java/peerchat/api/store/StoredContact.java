package peerchat.api.store;

import java.time.Instant;

/**
 * Someone this workbench has exchanged messages with or seen in the roster.
 *
 * @param name        the user name as last seen
 * @param lastSeen    when they were last seen online, null if never
 * @param lastMessage when the last message with them was stored, null if none
 */
public record StoredContact(String name, Instant lastSeen, Instant lastMessage) {
}
