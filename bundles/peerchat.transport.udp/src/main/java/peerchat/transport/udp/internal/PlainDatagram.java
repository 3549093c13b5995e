package peerchat.transport.udp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import peerchat.api.transport.MessageTransport;

/**
 * Header-less datagrams of the original application (docs/PROTOCOL-UDP.md, "Plain datagrams"): the
 * whole datagram is UTF-8 text, by convention {@code NAME: text}. Tells them apart from v2 frames
 * and from random bytes. Stateless.
 */
final class PlainDatagram {

    /** Largest plain datagram we send: the most an IPv4 UDP datagram carries. */
    static final int MAX_BYTES = MessageTransport.MAX_PLAIN_BYTES;

    private PlainDatagram() {
    }

    /**
     * True when the datagram claims to be a frame of our protocol: it starts with the magic
     * {@code PC} and the next byte (the version) is not printable, as in every version so far. Such
     * datagrams are decoded as frames (and counted as malformed if they are not). A text that merely
     * starts with "PC" ({@code PCfan: hi}) is not a frame.
     */
    static boolean claimsToBeFrame(ByteBuffer datagram) {
        int at = datagram.position();
        int length = datagram.remaining();
        return length >= 2 && datagram.get(at) == FrameCodec.MAGIC_0 && datagram.get(at + 1) == FrameCodec.MAGIC_1
                && (length == 2 || (datagram.get(at + 2) & 0xFF) < 0x20);
    }

    /**
     * The datagram's text when it is text a person could have typed: strictly valid UTF-8, not blank,
     * and no control characters except tab, line feed and carriage return; null otherwise (random
     * bytes almost never pass). Leaves the buffer's position unchanged.
     */
    static String text(ByteBuffer datagram) {
        if (!datagram.hasRemaining()) {
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(datagram.duplicate()).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        boolean printable = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
                continue;
            }
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return null; // C0 and C1 controls, DEL
            }
            printable = true;
        }
        return printable ? text : null;
    }
}
