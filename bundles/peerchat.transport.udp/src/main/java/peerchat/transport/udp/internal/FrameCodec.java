package peerchat.transport.udp.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Wire format v2 (docs/PROTOCOL-UDP.md), the single place that reads and writes datagrams.
 *
 * <pre>
 *  0..1  magic 'P' 'C'         6..9   session (u32): the DATA stream this frame is about
 *  2     version 2             10..13 incarnation (u32): the sending engine's random run id
 *  3     type (1 DATA, 2 ACK, 3 PING)
 *  4     flags (low nibble critical, none defined; high nibble advisory: 0x10 ACK_NOW on DATA)
 *  5     header length (14): where the type's body starts
 *  DATA  seq u64, then chunks: flags u8 (1 FIRST, 2 LAST), length u16, bytes   (payload max 1200 bytes)
 *  ACK   cumulative u64, window u32, echo u64, range count u8, ranges (first u64, last u64)*
 *  PING  timestamp u64
 * </pre>
 *
 * Stateless and thread-safe; decoding throws only {@link MalformedFrameException}.
 */
final class FrameCodec {

    static final byte MAGIC_0 = 'P';
    static final byte MAGIC_1 = 'C';
    static final int VERSION = 2;
    static final int HEADER_LENGTH = 14;
    static final int CRITICAL_FLAGS_MASK = 0x0F;
    /**
     * Advisory DATA flag: the sender sends nothing more until it hears back (its queue is empty or
     * its window full after this packet), so the receiver should acknowledge at once instead of
     * waiting for more. Receivers that do not know it ignore it, as they do all of the high nibble.
     */
    static final int FLAG_ACK_NOW = 0x10;

    /** Largest DATA payload (all chunks with their headers): a datagram stays below common MTUs. */
    static final int MAX_PAYLOAD = 1200;
    static final int DATA_BODY = 8;
    static final int MAX_DATA_DATAGRAM = HEADER_LENGTH + DATA_BODY + MAX_PAYLOAD;
    static final int CHUNK_HEADER = 3;
    static final int CHUNK_FIRST = 0x01;
    static final int CHUNK_LAST = 0x02;

    static final int ACK_BODY = 8 + 4 + 8 + 1;
    static final int MAX_ACK_RANGES = 64;
    static final int PING_BODY = 8;
    /** Largest datagram any v2 frame can be; receive buffers are larger so nothing is truncated unseen. */
    static final int MAX_DATAGRAM = Math.max(MAX_DATA_DATAGRAM, HEADER_LENGTH + ACK_BODY + 16 * MAX_ACK_RANGES);

    private FrameCodec() {
    }

    // --- encoding --------------------------------------------------------------------------

    /** A DATA datagram with room for {@link #MAX_PAYLOAD} bytes of chunks; add them with {@link #putChunk}. */
    static ByteBuffer startData(int session, int incarnation, long seq) {
        if (seq <= 0) {
            throw new IllegalArgumentException("sequence number must be positive: " + seq);
        }
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATA_DATAGRAM);
        putHeader(buffer, FrameType.DATA, session, incarnation);
        buffer.putLong(seq);
        return buffer;
    }

    /** Sets {@link #FLAG_ACK_NOW} in a DATA datagram (being built or built). */
    static void setAckNow(ByteBuffer data) {
        data.put(4, (byte) (data.get(4) | FLAG_ACK_NOW));
    }

    /** Appends one chunk; the caller keeps {@code CHUNK_HEADER + length} within the room left. */
    static void putChunk(ByteBuffer data, int flags, byte[] source, int offset, int length) {
        data.put((byte) flags).putShort((short) length).put(source, offset, length);
    }

    /** Room for chunk bytes left in a DATA datagram being built (position = bytes written so far). */
    static int room(ByteBuffer data) {
        return MAX_DATA_DATAGRAM - data.position();
    }

    static ByteBuffer encodeAck(int session, int incarnation, long cumulative, int window, long echo,
            long[] ranges) {
        int count = ranges.length / 2;
        if (count > MAX_ACK_RANGES || ranges.length % 2 != 0) {
            throw new IllegalArgumentException("bad ack ranges: " + ranges.length + " values");
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + ACK_BODY + 16 * count);
        putHeader(buffer, FrameType.ACK, session, incarnation);
        buffer.putLong(cumulative).putInt(window).putLong(echo).put((byte) count);
        for (long value : ranges) {
            buffer.putLong(value);
        }
        return buffer.flip();
    }

    static ByteBuffer encodePing(int session, int incarnation, long timestamp) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + PING_BODY);
        putHeader(buffer, FrameType.PING, session, incarnation);
        return buffer.putLong(timestamp).flip();
    }

    private static void putHeader(ByteBuffer buffer, FrameType type, int session, int incarnation) {
        buffer.put(MAGIC_0).put(MAGIC_1).put((byte) VERSION).put((byte) type.code).put((byte) 0)
                .put((byte) HEADER_LENGTH).putInt(session).putInt(incarnation);
    }

    // --- decoding --------------------------------------------------------------------------

    /** Decodes the bytes between position and limit; leaves the caller's buffer untouched. */
    static Frame decode(ByteBuffer datagram) throws MalformedFrameException {
        ByteBuffer in = datagram.slice();
        int length = in.remaining();
        if (length == 0) {
            throw new MalformedFrameException("empty datagram");
        }
        if (length < HEADER_LENGTH) {
            throw new MalformedFrameException("truncated header: " + length + " bytes (need " + HEADER_LENGTH + ")");
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
                throw new MalformedFrameException("bad header length " + headerLength + " (min " + HEADER_LENGTH + ")");
            }
            if (headerLength > length) {
                throw new MalformedFrameException(
                        "truncated header: " + length + " bytes (header length says " + headerLength + ")");
            }
            int session = in.getInt();
            int incarnation = in.getInt();
            // A later minor revision may append header fields: skip what v2 does not know.
            in.position(headerLength);
            return switch (type) {
                case DATA -> decodeData(in, session, incarnation, (flags & FLAG_ACK_NOW) != 0);
                case ACK -> decodeAck(in, session, incarnation);
                case PING -> decodePing(in, session, incarnation);
            };
        } catch (BufferUnderflowException e) {
            // Unreachable after the length checks; kept so a codec bug cannot escape unchecked.
            throw new MalformedFrameException("truncated datagram: " + length + " bytes");
        }
    }

    private static Frame decodeData(ByteBuffer in, int session, int incarnation, boolean ackNow)
            throws MalformedFrameException {
        requireBody(in, DATA_BODY, "DATA");
        long seq = in.getLong();
        if (seq <= 0) {
            throw new MalformedFrameException("invalid sequence number " + Long.toUnsignedString(seq));
        }
        int payloadLength = in.remaining();
        if (payloadLength > MAX_PAYLOAD) {
            throw new MalformedFrameException("DATA payload too large: " + payloadLength + " bytes (max " + MAX_PAYLOAD + ")");
        }
        if (payloadLength == 0) {
            throw new MalformedFrameException("DATA without chunks");
        }
        byte[] payload = new byte[payloadLength];
        in.get(payload);
        int at = 0;
        while (at < payloadLength) {
            if (payloadLength - at < CHUNK_HEADER) {
                throw new MalformedFrameException("truncated chunk header at payload offset " + at);
            }
            int chunkFlags = payload[at] & 0xFF;
            if ((chunkFlags & ~(CHUNK_FIRST | CHUNK_LAST)) != 0) {
                throw new MalformedFrameException(String.format("invalid chunk flags 0x%02X", chunkFlags));
            }
            int chunkLength = ((payload[at + 1] & 0xFF) << 8) | (payload[at + 2] & 0xFF);
            at += CHUNK_HEADER;
            if (chunkLength > payloadLength - at) {
                throw new MalformedFrameException("chunk of " + chunkLength + " bytes at payload offset "
                        + (at - CHUNK_HEADER) + " overruns the datagram (" + (payloadLength - at) + " left)");
            }
            at += chunkLength;
        }
        return new Frame.Data(session, incarnation, seq, payload, ackNow);
    }

    private static Frame decodeAck(ByteBuffer in, int session, int incarnation) throws MalformedFrameException {
        requireBody(in, ACK_BODY, "ACK");
        long cumulative = in.getLong();
        if (cumulative < 0) {
            throw new MalformedFrameException("invalid cumulative ack " + Long.toUnsignedString(cumulative));
        }
        int window = in.getInt();
        if (window < 0) {
            throw new MalformedFrameException("invalid window " + Integer.toUnsignedString(window));
        }
        long echo = in.getLong();
        int count = in.get() & 0xFF;
        if (count > MAX_ACK_RANGES) {
            throw new MalformedFrameException("too many ack ranges: " + count + " (max " + MAX_ACK_RANGES + ")");
        }
        if (in.remaining() < 16 * count) {
            throw new MalformedFrameException("truncated ACK: " + count + " ranges need " + 16 * count
                    + " bytes, " + in.remaining() + " left");
        }
        long[] ranges = new long[2 * count];
        long previousLast = cumulative;
        for (int i = 0; i < count; i++) {
            long first = in.getLong();
            long last = in.getLong();
            // A range must leave a gap after what came before, else it would have been folded in.
            if (first <= previousLast + 1 || last < first) {
                throw new MalformedFrameException("invalid ack range " + Long.toUnsignedString(first) + ".."
                        + Long.toUnsignedString(last) + " after " + Long.toUnsignedString(previousLast));
            }
            ranges[2 * i] = first;
            ranges[2 * i + 1] = last;
            previousLast = last;
        }
        return new Frame.Ack(session, incarnation, cumulative, window, echo, ranges);
    }

    private static Frame decodePing(ByteBuffer in, int session, int incarnation) throws MalformedFrameException {
        requireBody(in, PING_BODY, "PING");
        return new Frame.Ping(session, incarnation, in.getLong());
    }

    private static void requireBody(ByteBuffer in, int need, String type) throws MalformedFrameException {
        if (in.remaining() < need) {
            throw new MalformedFrameException("truncated " + type + ": " + in.remaining() + " body bytes (need "
                    + need + ")");
        }
    }
}
