package peerchat.roster.protocol;

/**
 * Constants of the roster protocol, versions 1 and 2 (docs/PROTOCOL.md).
 */
public final class Protocol {

    /**
     * The newest version this codec speaks, and the one it sends. Version 2 adds the presence in
     * HELLO and the SET_PRESENCE frame.
     */
    public static final int VERSION = 2;

    /** The oldest version a server still accepts; a HELLO outside MIN_VERSION..VERSION is refused. */
    public static final int MIN_VERSION = 1;

    /**
     * The first four bytes of every HELLO body: "PCRP" (Peers Chatting Roster Protocol). Together
     * with the length prefix, whose first byte is always 0x00, this keeps our connections apart
     * from the legacy text dialect, whose first line starts with {@code login-}.
     */
    public static final byte[] MAGIC = {'P', 'C', 'R', 'P'};

    /** Largest allowed frame content (type byte + body), in bytes: 64 KiB. */
    public static final int MAX_FRAME_LENGTH = 64 * 1024;

    /** Size of the length prefix in front of every frame. */
    public static final int LENGTH_PREFIX = 4;

    /** The TCP port a roster server uses unless told otherwise. */
    public static final int DEFAULT_PORT = 5555;

    private Protocol() {
    }
}
