package peerchat.api.dto;

/** The roster client's link to its server. */
public enum ConnectionState {
    DISCONNECTED, CONNECTING, ONLINE
}
