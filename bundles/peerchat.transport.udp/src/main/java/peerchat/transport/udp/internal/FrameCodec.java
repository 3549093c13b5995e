package peerchat.transport.udp.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Wire format v2.1 (docs/PROTOCOL-UDP.md), the single place that reads and writes datagrams.
 *
 * <pre>
 *  0..1  magic 'P' 'C'         6..9   session (u32): the DATA stream this frame is about
 *  2     version 2             10..13 incarnation (u32): the sending engine's random run id
 *  3     type (1 DATA, 2 ACK, 3 PING)
 *  4     flags: low nibble critical (0x01 ACK_INCLUDED on DATA), high nibble advisory
 *        (0x10 ACK_NOW on DATA, 0x20 PIGGYBACK_OK on DATA and ACK)
 *  5     header length (14): where the type's body starts
 *  DATA  seq u64, [included ACK if ACK_INCLUDED: acked session u32, cumulative u64, window u32,
 *        range count u8 (max 2), ranges], then chunks: flags u8 (1 FIRST, 2 LAST, 4 ID with FIRST),
 *        length u16, [ID: id length u8 (1..64), id (printable ASCII)], text bytes (chunks max 1200 bytes;
 *        length counts the id part too)
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
    /**
     * Critical DATA flag: an ACK of the receiver's own stream sits between the seq and the chunks, so
     * it needs no datagram of its own. Critical because a receiver that skipped it would read the ACK
     * as chunks; sent only to peers that announced {@link #FLAG_PIGGYBACK_OK}.
     */
    static final int FLAG_ACK_INCLUDED = 0x01;
    /**
     * Advisory flag on DATA and ACK: the sender accepts DATA with {@link #FLAG_ACK_INCLUDED}. Set on
     * every DATA and ACK this codec builds; older v2 peers never set it and reject ACK_INCLUDED.
     */
    static final int FLAG_PIGGYBACK_OK = 0x20;

    /** Largest DATA payload (all chunks with their headers): a datagram stays below common MTUs. */
    static final int MAX_PAYLOAD = 1200;
    static final int DATA_BODY = 8;
    /** Largest DATA datagram without an included ACK (as packets are kept for retransmission). */
    static final int MAX_DATA_DATAGRAM = HEADER_LENGTH + DATA_BODY + MAX_PAYLOAD;
    static final int CHUNK_HEADER = 3;
    static final int CHUNK_FIRST = 0x01;
    static final int CHUNK_LAST = 0x02;
    /**
     * Chunk flag (since 2.1), only with {@link #CHUNK_FIRST}: the chunk's bytes start with the message
     * id, one length byte (1..{@link #MAX_ID_BYTES}) and that many bytes of printable ASCII, then the
     * text. A receiver without ids rejects the whole datagram ({@code invalid chunk flags}) rather
     * than showing the id as text.
     */
    static final int CHUNK_ID = 0x04;
    /** Longest message id, in bytes (= MessageTransport.MAX_MESSAGE_ID_BYTES). */
    static final int MAX_ID_BYTES = 64;

    static final int ACK_BODY = 8 + 4 + 8 + 1;
    static final int MAX_ACK_RANGES = 64;
    /** An included ACK without ranges: acked session, cumulative, window, range count (no echo). */
    static final int INCLUDED_ACK_BODY = 4 + 8 + 4 + 1;
    /** Few ranges keep a DATA with an included ACK within 1280 bytes; an ACK needing more goes alone. */
    static final int MAX_INCLUDED_ACK_RANGES = 2;
    static final int MAX_DATA_WITH_ACK_DATAGRAM = MAX_DATA_DATAGRAM + INCLUDED_ACK_BODY + 16 * MAX_INCLUDED_ACK_RANGES;
    /**
     * Largest datagram this codec's users send with an included ACK: 1280 (the IPv6 minimum MTU)
     * minus the IPv6 and UDP headers, so no datagram of ours needs IP fragmentation. Receivers take
     * up to {@link #MAX_DATA_WITH_ACK_DATAGRAM}.
     */
    static final int MAX_UNFRAGMENTED_DATAGRAM = 1280 - 40 - 8;
    /**
     * Payload bytes a sender leaves free in its DATA packets while it expects to owe the peer ACKs
     * (the peer is sending to it too), so that any of them can take an ACK along and still stay
     * within {@link #MAX_DATA_DATAGRAM}.
     */
    static final int INCLUDED_ACK_RESERVE = INCLUDED_ACK_BODY + 16 * MAX_INCLUDED_ACK_RANGES;
    static final int PING_BODY = 8;
    /** Largest datagram any v2 frame can be; receive buffers are larger so nothing is truncated unseen. */
    static final int MAX_DATAGRAM = Math.max(MAX_DATA_WITH_ACK_DATAGRAM,
            HEADER_LENGTH + ACK_BODY + 16 * MAX_ACK_RANGES);

    private FrameCodec() {
    }

    // --- encoding --------------------------------------------------------------------------

    /** A DATA datagram with room for {@link #MAX_PAYLOAD} bytes of chunks; add them with {@link #putChunk}. */
    static ByteBuffer startData(int session, int incarnation, long seq) {
        if (seq <= 0) {
            throw new IllegalArgumentException("sequence number must be positive: " + seq);
        }
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATA_DATAGRAM);
        putHeader(buffer, FrameType.DATA, FLAG_PIGGYBACK_OK, session, incarnation);
        buffer.putLong(seq);
        return buffer;
    }

    /** True for a DATA datagram (between position and limit), as built by {@link #startData}. */
    static boolean isData(ByteBuffer datagram) {
        return datagram.remaining() > 3 && datagram.get(datagram.position() + 3) == FrameType.DATA.code;
    }

    /**
     * A copy of a built DATA datagram with {@code ack} included: {@link #FLAG_ACK_INCLUDED} set and
     * the ACK's session, cumulative, window and ranges between the seq and the chunks (its echo and
     * incarnation are not sent: the DATA header carries the sender's incarnation). The original is
     * left alone, so a retransmission can include a newer ACK or none.
     */
    static ByteBuffer includeAck(ByteBuffer data, Frame.Ack ack) {
        int count = ack.rangeCount();
        if (!isData(data) || count > MAX_INCLUDED_ACK_RANGES || ack.ranges().length % 2 != 0) {
            throw new IllegalArgumentException("cannot include an ACK with " + ack.ranges().length
                    + " range values in this datagram");
        }
        int start = data.position();
        int chunksAt = start + HEADER_LENGTH + DATA_BODY;
        ByteBuffer out = ByteBuffer.allocate(data.remaining() + INCLUDED_ACK_BODY + 16 * count);
        out.put(data.duplicate().limit(chunksAt));
        out.put(4, (byte) (out.get(4) | FLAG_ACK_INCLUDED));
        out.putInt(ack.session()).putLong(ack.cumulative()).putInt(ack.window()).put((byte) count);
        for (long value : ack.ranges()) {
            out.putLong(value);
        }
        out.put(data.duplicate().position(chunksAt));
        return out.flip();
    }

    /** Sets {@link #FLAG_ACK_NOW} in a DATA datagram (being built or built). */
    static void setAckNow(ByteBuffer data) {
        data.put(4, (byte) (data.get(4) | FLAG_ACK_NOW));
    }

    /** Appends one chunk; the caller keeps {@code CHUNK_HEADER + length} within the room left. */
    static void putChunk(ByteBuffer data, int flags, byte[] source, int offset, int length) {
        data.put((byte) flags).putShort((short) length).put(source, offset, length);
    }

    /**
     * Appends one chunk, a FIRST one with the message id first when {@code id} is not null (then
     * {@link #CHUNK_ID} is added to the flags); the caller keeps {@code CHUNK_HEADER + idBytes(id) +
     * length} within the room left.
     */
    static void putChunk(ByteBuffer data, int flags, byte[] id, byte[] source, int offset, int length) {
        if (id == null) {
            putChunk(data, flags, source, offset, length);
            return;
        }
        if ((flags & CHUNK_FIRST) == 0) {
            throw new IllegalArgumentException("a message id goes in the FIRST chunk only");
        }
        data.put((byte) (flags | CHUNK_ID)).putShort((short) (idBytes(id) + length)).put((byte) id.length).put(id)
                .put(source, offset, length);
    }

    /** Bytes the id takes in a FIRST chunk: 0 without id, else its length byte plus the id. */
    static int idBytes(byte[] id) {
        return id == null ? 0 : 1 + id.length;
    }

    /**
     * The wire form of a message id: its ASCII bytes; null for a null id (no id).
     *
     * @throws IllegalArgumentException when it is empty, longer than {@link #MAX_ID_BYTES} or not
     *         printable ASCII (0x20..0x7E), with a reason for the user
     */
    static byte[] messageId(String id) {
        if (id == null) {
            return null;
        }
        if (id.isEmpty() || id.length() > MAX_ID_BYTES) {
            throw new IllegalArgumentException("invalid message id: " + id.length() + " characters (must be 1.."
                    + MAX_ID_BYTES + ")");
        }
        byte[] bytes = new byte[id.length()];
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException(String.format(
                        "invalid message id: character U+%04X at %d is not printable ASCII", (int) c, i));
            }
            bytes[i] = (byte) c;
        }
        return bytes;
    }

    /** One chunk of a validated payload, as {@link #chunks} reports it. */
    interface ChunkSink {
        /**
         * @param id the message id of a FIRST chunk that carries one, else null
         * @param textFrom where the chunk's text starts in {@code payload} (after any id)
         */
        void chunk(boolean first, boolean last, String id, byte[] payload, int textFrom, int textLength);
    }

    /** Walks the chunks of a payload that {@link #decode} accepted, in order. */
    static void chunks(byte[] payload, ChunkSink sink) {
        int at = 0;
        while (at < payload.length) {
            int flags = payload[at] & 0xFF;
            int length = ((payload[at + 1] & 0xFF) << 8) | (payload[at + 2] & 0xFF);
            int from = at + CHUNK_HEADER;
            at = from + length;
            String id = null;
            if ((flags & CHUNK_ID) != 0) {
                int idLength = payload[from] & 0xFF;
                id = new String(payload, from + 1, idLength, StandardCharsets.US_ASCII);
                length -= 1 + idLength;
                from += 1 + idLength;
            }
            sink.chunk((flags & CHUNK_FIRST) != 0, (flags & CHUNK_LAST) != 0, id, payload, from, length);
        }
    }

    /** How many messages end (LAST chunks) in a payload that {@link #decode} accepted. */
    static int messageEnds(byte[] payload) {
        int ends = 0;
        int at = 0;
        while (at < payload.length) {
            if ((payload[at] & CHUNK_LAST) != 0) {
                ends++;
            }
            at += CHUNK_HEADER + (((payload[at + 1] & 0xFF) << 8) | (payload[at + 2] & 0xFF));
        }
        return ends;
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
        putHeader(buffer, FrameType.ACK, FLAG_PIGGYBACK_OK, session, incarnation);
        buffer.putLong(cumulative).putInt(window).putLong(echo).put((byte) count);
        for (long value : ranges) {
            buffer.putLong(value);
        }
        return buffer.flip();
    }

    static ByteBuffer encodePing(int session, int incarnation, long timestamp) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_LENGTH + PING_BODY);
        putHeader(buffer, FrameType.PING, 0, session, incarnation);
        return buffer.putLong(timestamp).flip();
    }

    private static void putHeader(ByteBuffer buffer, FrameType type, int flags, int session, int incarnation) {
        buffer.put(MAGIC_0).put(MAGIC_1).put((byte) VERSION).put((byte) type.code).put((byte) flags)
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
            int knownCritical = type == FrameType.DATA ? FLAG_ACK_INCLUDED : 0;
            if ((flags & CRITICAL_FLAGS_MASK & ~knownCritical) != 0) {
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
                case DATA -> decodeData(in, session, incarnation, flags);
                case ACK -> decodeAck(in, session, incarnation);
                case PING -> decodePing(in, session, incarnation);
            };
        } catch (BufferUnderflowException e) {
            // Unreachable after the length checks; kept so a codec bug cannot escape unchecked.
            throw new MalformedFrameException("truncated datagram: " + length + " bytes");
        }
    }

    private static Frame decodeData(ByteBuffer in, int session, int incarnation, int flags)
            throws MalformedFrameException {
        requireBody(in, DATA_BODY, "DATA");
        long seq = in.getLong();
        if (seq <= 0) {
            throw new MalformedFrameException("invalid sequence number " + Long.toUnsignedString(seq));
        }
        Frame.Ack ack = (flags & FLAG_ACK_INCLUDED) != 0 ? decodeIncludedAck(in, incarnation) : null;
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
            if ((chunkFlags & ~(CHUNK_FIRST | CHUNK_LAST | CHUNK_ID)) != 0
                    || (chunkFlags & (CHUNK_ID | CHUNK_FIRST)) == CHUNK_ID) {
                throw new MalformedFrameException(String.format("invalid chunk flags 0x%02X", chunkFlags));
            }
            int chunkLength = ((payload[at + 1] & 0xFF) << 8) | (payload[at + 2] & 0xFF);
            at += CHUNK_HEADER;
            if (chunkLength > payloadLength - at) {
                throw new MalformedFrameException("chunk of " + chunkLength + " bytes at payload offset "
                        + (at - CHUNK_HEADER) + " overruns the datagram (" + (payloadLength - at) + " left)");
            }
            if ((chunkFlags & CHUNK_ID) != 0) {
                checkId(payload, at, chunkLength);
            }
            at += chunkLength;
        }
        return new Frame.Data(session, incarnation, seq, payload, (flags & FLAG_ACK_NOW) != 0,
                (flags & FLAG_PIGGYBACK_OK) != 0, ack);
    }

    /** The id part of a FIRST chunk with {@link #CHUNK_ID}: a length 1..64 within the chunk, printable ASCII. */
    private static void checkId(byte[] payload, int at, int chunkLength) throws MalformedFrameException {
        int idLength = chunkLength == 0 ? 0 : payload[at] & 0xFF;
        if (idLength < 1 || idLength > MAX_ID_BYTES || idLength > chunkLength - 1) {
            throw new MalformedFrameException("invalid message id length " + idLength + " at payload offset "
                    + (at - CHUNK_HEADER) + " (1.." + MAX_ID_BYTES + ", within the chunk's " + chunkLength + " bytes)");
        }
        for (int i = at + 1; i <= at + idLength; i++) {
            int b = payload[i] & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                throw new MalformedFrameException(String.format("invalid message id byte 0x%02X (printable ASCII only)", b));
            }
        }
    }

    /** The ACK part of a DATA with ACK_INCLUDED; the same checks as an ACK frame, at most 2 ranges. */
    private static Frame.Ack decodeIncludedAck(ByteBuffer in, int incarnation) throws MalformedFrameException {
        if (in.remaining() < INCLUDED_ACK_BODY) {
            throw new MalformedFrameException("truncated included ACK: " + in.remaining() + " bytes (need "
                    + INCLUDED_ACK_BODY + ")");
        }
        int ackedSession = in.getInt();
        long cumulative = cumulative(in);
        int window = window(in);
        int count = in.get() & 0xFF;
        if (count > MAX_INCLUDED_ACK_RANGES) {
            throw new MalformedFrameException("too many included ack ranges: " + count + " (max "
                    + MAX_INCLUDED_ACK_RANGES + ")");
        }
        long[] ranges = ranges(in, count, cumulative, "included ACK");
        return new Frame.Ack(ackedSession, incarnation, cumulative, window, 0, ranges);
    }

    private static Frame decodeAck(ByteBuffer in, int session, int incarnation) throws MalformedFrameException {
        requireBody(in, ACK_BODY, "ACK");
        long cumulative = cumulative(in);
        int window = window(in);
        long echo = in.getLong();
        int count = in.get() & 0xFF;
        if (count > MAX_ACK_RANGES) {
            throw new MalformedFrameException("too many ack ranges: " + count + " (max " + MAX_ACK_RANGES + ")");
        }
        long[] ranges = ranges(in, count, cumulative, "ACK");
        return new Frame.Ack(session, incarnation, cumulative, window, echo, ranges);
    }

    private static long cumulative(ByteBuffer in) throws MalformedFrameException {
        long cumulative = in.getLong();
        if (cumulative < 0) {
            throw new MalformedFrameException("invalid cumulative ack " + Long.toUnsignedString(cumulative));
        }
        return cumulative;
    }

    private static int window(ByteBuffer in) throws MalformedFrameException {
        int window = in.getInt();
        if (window < 0) {
            throw new MalformedFrameException("invalid window " + Integer.toUnsignedString(window));
        }
        return window;
    }

    /** {@code count} ranges, ascending, each leaving a gap after what came before. */
    private static long[] ranges(ByteBuffer in, int count, long cumulative, String what)
            throws MalformedFrameException {
        if (in.remaining() < 16 * count) {
            throw new MalformedFrameException("truncated " + what + ": " + count + " ranges need " + 16 * count
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
        return ranges;
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
