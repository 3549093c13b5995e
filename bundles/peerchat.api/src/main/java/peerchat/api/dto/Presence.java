package peerchat.api.dto;

/** What a user tells others about their availability. */
public enum Presence {
    ONLINE, AWAY, BUSY
}
