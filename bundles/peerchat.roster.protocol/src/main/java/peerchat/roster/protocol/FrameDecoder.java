package peerchat.roster.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns bytes into frames, however the bytes are cut: feed it whatever a read returned and it
 * keeps the unfinished rest of a frame until the next call. One decoder per connection, used by
 * one thread at a time. After a {@link ProtocolException} the stream is out of step and the
 * decoder refuses further input: send an ERROR frame and close the connection.
 */
public final class FrameDecoder {

    private final ByteBuffer lengthPrefix = ByteBuffer.allocate(Protocol.LENGTH_PREFIX);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** The content of the frame being received; null while the length prefix is being read. */
    private ByteBuffer content;
    private boolean failed;

    /**
     * Consumes bytes from {@code in} until one frame is complete and returns it, or returns null
     * when {@code in} is used up before that. Call again (with the same buffer) for the next frame.
     *
     * @throws ProtocolException when the bytes break the protocol; {@link ProtocolException#code()}
     *                           tells which ERROR code to answer with
     */
    public Frame decode(ByteBuffer in) throws ProtocolException {
        if (failed) {
            throw new IllegalStateException("decoder failed earlier; the connection must be closed");
        }
        if (content == null) {
            transfer(in, lengthPrefix);
            if (lengthPrefix.hasRemaining()) {
                return null;
            }
            long length = Integer.toUnsignedLong(lengthPrefix.getInt(0));
            lengthPrefix.clear();
            if (length > Protocol.MAX_FRAME_LENGTH) {
                throw fail(ErrorCode.FRAME_TOO_LARGE, "frame of " + length + " bytes exceeds the limit of "
                        + Protocol.MAX_FRAME_LENGTH);
            }
            if (length == 0) {
                throw fail(ErrorCode.PROTOCOL_ERROR, "empty frame (length 0, no type byte)");
            }
            content = ByteBuffer.allocate((int) length);
        }
        transfer(in, content);
        if (content.hasRemaining()) {
            return null;
        }
        ByteBuffer complete = content.flip();
        content = null;
        try {
            return parse(complete);
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        }
    }

    /** Decodes every complete frame in {@code in}; an unfinished frame's bytes are kept. */
    public List<Frame> decodeAll(ByteBuffer in) throws ProtocolException {
        List<Frame> frames = new ArrayList<>();
        Frame frame;
        while ((frame = decode(in)) != null) {
            frames.add(frame);
        }
        return frames;
    }

    /** True while part of a frame has been received and the rest is still missing. */
    public boolean hasPartialFrame() {
        return content != null || lengthPrefix.position() > 0;
    }

    private Frame parse(ByteBuffer body) throws ProtocolException {
        int typeCode = body.get() & 0xFF;
        FrameType type = FrameType.of(typeCode);
        if (type == null) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, String.format("unknown frame type 0x%02x", typeCode));
        }
        FieldReader fields = new FieldReader(body, type);
        Frame frame = switch (type) {
            case HELLO -> hello(fields);
            case SNAPSHOT -> snapshot(fields);
            case JOINED -> new Frame.Joined(entry(fields));
            case LEFT -> new Frame.Left(fields.string());
            case PRESENCE_CHANGED -> new Frame.PresenceChanged(entry(fields));
            case ERROR -> new Frame.Error(ErrorCode.of(fields.u16()), fields.string());
            case BYE -> new Frame.Bye();
            case PING -> new Frame.Ping(fields.u64());
            case PONG -> new Frame.Pong(fields.u64());
            case SET_PRESENCE -> new Frame.SetPresence(presence(fields), fields.string());
        };
        if (body.hasRemaining()) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                    type + " frame has " + body.remaining() + " unexpected trailing bytes");
        }
        return frame;
    }

    private static Frame.Hello hello(FieldReader fields) throws ProtocolException {
        byte[] magic = fields.bytes(Protocol.MAGIC.length);
        if (!Arrays.equals(magic, Protocol.MAGIC)) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR,
                    "bad magic in HELLO: not a Peers Chatting roster client");
        }
        int version = fields.u16();
        if (version < Protocol.MIN_VERSION || version > Protocol.VERSION) {
            // The rest of the HELLO may have another layout in that version: do not read it.
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + version
                    + " is not supported (this side speaks " + Protocol.MIN_VERSION + " to " + Protocol.VERSION + ")");
        }
        String name = fields.string();
        int udpPort = fields.u16();
        if (version == 1) {
            return new Frame.Hello(version, name, udpPort);
        }
        WirePresence presence = presence(fields);
        return new Frame.Hello(version, name, udpPort, presence, fields.string());
    }

    private static Frame.Snapshot snapshot(FieldReader fields) throws ProtocolException {
        int flags = fields.u8();
        int count = fields.u16();
        List<WireEntry> entries = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            entries.add(entry(fields));
        }
        return new Frame.Snapshot(entries, (flags & 0x01) != 0);
    }

    private static WireEntry entry(FieldReader fields) throws ProtocolException {
        String name = fields.string();
        String host = fields.string();
        int udpPort = fields.u16();
        WirePresence presence = presence(fields);
        String status = fields.string();
        boolean legacy = (fields.u8() & 0x01) != 0;
        return new WireEntry(name, host, udpPort, presence, status, legacy);
    }

    private static WirePresence presence(FieldReader fields) throws ProtocolException {
        int code = fields.u8();
        WirePresence presence = WirePresence.of(code);
        if (presence == null) {
            throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "unknown presence code " + code);
        }
        return presence;
    }

    private ProtocolException fail(ErrorCode code, String message) {
        failed = true;
        return new ProtocolException(code, message);
    }

    private static void transfer(ByteBuffer from, ByteBuffer to) {
        int n = Math.min(from.remaining(), to.remaining());
        if (n > 0) {
            to.put(to.position(), from, from.position(), n);
            to.position(to.position() + n);
            from.position(from.position() + n);
        }
    }

    /** Big-endian field readers that report a short frame as a protocol error. */
    private final class FieldReader {
        private final ByteBuffer body;
        private final FrameType type;

        FieldReader(ByteBuffer body, FrameType type) {
            this.body = body;
            this.type = type;
        }

        int u8() throws ProtocolException {
            need(1);
            return body.get() & 0xFF;
        }

        int u16() throws ProtocolException {
            need(2);
            return body.getShort() & 0xFFFF;
        }

        long u64() throws ProtocolException {
            need(8);
            return body.getLong();
        }

        byte[] bytes(int n) throws ProtocolException {
            need(n);
            byte[] out = new byte[n];
            body.get(out);
            return out;
        }

        String string() throws ProtocolException {
            int length = u16();
            need(length);
            ByteBuffer slice = body.slice(body.position(), length);
            body.position(body.position() + length);
            try {
                CharBuffer chars = utf8.reset().decode(slice);
                return chars.toString();
            } catch (CharacterCodingException e) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "invalid UTF-8 in a " + type + " frame");
            }
        }

        private void need(int n) throws ProtocolException {
            if (body.remaining() < n) {
                throw new ProtocolException(ErrorCode.PROTOCOL_ERROR, "truncated " + type + " frame: needs "
                        + n + " more bytes, has " + body.remaining());
            }
        }
    }
}
