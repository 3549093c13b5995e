package peerchat.api.dto;

/** The roster client's link to its server. */
public enum ConnectionState {
    DISCONNECTED,
    CONNECTING,
    ONLINE,
    /**
     * The connection to the server was lost and the client is trying to get it back (with
     * growing pauses). The roster is kept but stale: peers already known stay reachable, since chat
     * goes peer to peer; a fresh snapshot replaces it when the client is back.
     *
     * @since 1.1
     */
    RECONNECTING
}
