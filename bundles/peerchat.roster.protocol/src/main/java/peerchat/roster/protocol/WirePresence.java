package peerchat.roster.protocol;

/** A user's availability as it travels on the wire (one byte). */
public enum WirePresence {
    ONLINE(0), AWAY(1), BUSY(2);

    private final int code;

    WirePresence(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The presence with this code, or null when there is none (a protocol error). */
    public static WirePresence of(int code) {
        for (WirePresence presence : values()) {
            if (presence.code == code) {
                return presence;
            }
        }
        return null;
    }
}
