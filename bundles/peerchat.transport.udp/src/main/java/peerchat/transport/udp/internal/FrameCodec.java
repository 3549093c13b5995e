package peerchat.transport.udp.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Wire format v1 (docs/PROTOCOL-UDP.md): an 18-byte header, then UTF-8 text for DATA.
 *
 * <pre>
 *  0..1  magic 'P' 'C'      5      header length (18 in v1)
 *  2     version 1           6..9   session id, u32 big-endian
 *  3     type (1 DATA, 2 ACK) 10..17 message id, u64 big-endian (1..2^63-1)
 *  4     flags
 * </pre>
 *
 * Stateless and thread-safe.
 */
final class FrameCodec {

    static final byte MAGIC_0 = 'P';
    static final byte MAGIC_1 = 'C';
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 18;
    /** Largest DATA text, in UTF-8 bytes; one datagram, no fragmentation in v1. */
    static final int MAX_TEXT_BYTES = 60_000;
    static final int MAX_DATAGRAM_BYTES = HEADER_LENGTH + MAX_TEXT_BYTES;
    /**
     * Flag bits a receiver must understand (low nibble): a v1 receiver rejects a datagram with any
     * of them set. The high nibble holds flags that a receiver may ignore. v1 defines no flags.
     */
    static final int CRITICAL_FLAGS_MASK = 0x0F;

    private FrameCodec() {
    }

    static ByteBuffer encodeData(int sessionId, long messageId, byte[] utf8Text) {
        if (utf8Text.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException(
                    "message too large: " + utf8Text.length + " bytes (max " + MAX_TEXT_BYTES + ")");
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + utf8Text.length);
        putHeader(buffer, FrameType.DATA, sessionId, messageId);
        buffer.put(utf8Text);
        return buffer.flip();
    }

    static ByteBuffer encodeAck(int sessionId, long messageId) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH);
        putHeader(buffer, FrameType.ACK, sessionId, messageId);
        return buffer.flip();
    }

    private static void putHeader(ByteBuffer buffer, FrameType type, int sessionId, long messageId) {
        if (messageId <= 0) {
            throw new IllegalArgumentException("message id must be positive: " + messageId);
        }
        buffer.put(MAGIC_0).put(MAGIC_1).put((byte) VERSION).put((byte) type.code).put((byte) 0)
                .put((byte) HEADER_LENGTH).putInt(sessionId).putLong(messageId);
    }

    /** Decodes the bytes between position and limit; never throws anything but the checked one. */
    static Frame decode(ByteBuffer datagram) throws MalformedFrameException {
        ByteBuffer in = datagram.slice();
        int length = in.remaining();
        if (length == 0) {
            throw new MalformedFrameException("empty datagram");
        }
        if (length < HEADER_LENGTH) {
            throw new MalformedFrameException(
                    "truncated header: " + length + " bytes (need " + HEADER_LENGTH + ")");
        }
        try {
            int magic0 = in.get() & 0xFF;
            int magic1 = in.get() & 0xFF;
            if (magic0 != MAGIC_0 || magic1 != MAGIC_1) {
                throw new MalformedFrameException(
                        String.format("wrong magic 0x%02X%02X (expected 0x5043 'PC')", magic0, magic1));
            }
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new MalformedFrameException(
                        "unsupported version " + version + " (this receiver speaks " + VERSION + ")");
            }
            int typeCode = in.get() & 0xFF;
            FrameType type = FrameType.ofCode(typeCode);
            if (type == null) {
                throw new MalformedFrameException(String.format("unknown type 0x%02X", typeCode));
            }
            int flags = in.get() & 0xFF;
            if ((flags & CRITICAL_FLAGS_MASK) != 0) {
                throw new MalformedFrameException(String.format("unsupported flags 0x%02X", flags));
            }
            int headerLength = in.get() & 0xFF;
            if (headerLength < HEADER_LENGTH) {
                throw new MalformedFrameException(
                        "bad header length " + headerLength + " (min " + HEADER_LENGTH + ")");
            }
            if (headerLength > length) {
                throw new MalformedFrameException(
                        "truncated header: " + length + " bytes (header length says " + headerLength + ")");
            }
            int sessionId = in.getInt();
            long messageId = in.getLong();
            if (messageId <= 0) {
                throw new MalformedFrameException("invalid message id " + Long.toUnsignedString(messageId));
            }
            // Later minor revisions may append optional header fields: skip what v1 does not know.
            in.position(headerLength);
            String text = type == FrameType.DATA ? decodeUtf8(in) : "";
            return new Frame(type, flags, sessionId, messageId, text);
        } catch (BufferUnderflowException e) {
            // Unreachable after the length checks above; kept so a codec bug cannot escape as unchecked.
            throw new MalformedFrameException("truncated datagram: " + length + " bytes");
        }
    }

    private static String decodeUtf8(ByteBuffer in) throws MalformedFrameException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFrameException("invalid UTF-8 in message text");
        }
    }
}
