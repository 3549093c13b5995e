package peerchat.roster.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns frames into bytes: a 4-byte big-endian length, the type byte, then the fields. Stateless
 * and thread-safe.
 */
public final class FrameEncoder {

    /** Type byte plus the SNAPSHOT header (flags and count): what a snapshot costs without entries. */
    private static final int SNAPSHOT_OVERHEAD = 1 + 1 + 2;

    private static final int SNAPSHOT_MORE = 0x01;
    private static final int ENTRY_LEGACY = 0x01;

    /**
     * The frame with its length prefix, ready to write (position 0).
     *
     * @throws IllegalArgumentException when the frame would exceed {@link Protocol#MAX_FRAME_LENGTH}
     *                                  or a string its 65,535-byte limit
     */
    public ByteBuffer encode(Frame frame) {
        FieldWriter out = new FieldWriter();
        out.u32(0); // length, filled in below
        out.u8(frame.type().code());
        switch (frame) {
            case Frame.Hello hello -> {
                out.bytes(Protocol.MAGIC);
                out.u16(hello.version());
                out.string(hello.name());
                out.u16(hello.udpPort());
                if (hello.version() >= 2) {
                    out.u8(hello.presence().code());
                    out.string(hello.status());
                }
            }
            case Frame.SetPresence set -> {
                out.u8(set.presence().code());
                out.string(set.status());
            }
            case Frame.Snapshot snapshot -> {
                out.u8(snapshot.more() ? SNAPSHOT_MORE : 0);
                out.u16(snapshot.entries().size());
                for (WireEntry entry : snapshot.entries()) {
                    entry(out, entry);
                }
            }
            case Frame.Joined joined -> entry(out, joined.entry());
            case Frame.Left left -> out.string(left.name());
            case Frame.PresenceChanged changed -> entry(out, changed.entry());
            case Frame.Error error -> {
                out.u16(error.code().code());
                out.string(error.message());
            }
            case Frame.Bye bye -> {
                // no fields
            }
            case Frame.Ping ping -> out.u64(ping.token());
            case Frame.Pong pong -> out.u64(pong.token());
        }
        int contentLength = out.size() - Protocol.LENGTH_PREFIX;
        if (contentLength > Protocol.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException(frame.type() + " frame too large: " + contentLength
                    + " bytes (limit " + Protocol.MAX_FRAME_LENGTH + ")");
        }
        ByteBuffer buffer = out.toBuffer();
        buffer.putInt(0, contentLength);
        return buffer;
    }

    /** Encodes a frame into a fresh array (handy for blocking streams and tests). */
    public byte[] encodeToArray(Frame frame) {
        ByteBuffer buffer = encode(frame);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * The roster as SNAPSHOT frames that each fit the frame limit: usually one, more for very big
     * rosters (every frame but the last has {@code more} set). An empty roster is one empty frame.
     */
    public List<Frame.Snapshot> snapshotFrames(List<WireEntry> roster) {
        List<Frame.Snapshot> frames = new ArrayList<>();
        List<WireEntry> part = new ArrayList<>();
        int size = SNAPSHOT_OVERHEAD;
        for (WireEntry entry : roster) {
            int entrySize = entrySize(entry);
            if (SNAPSHOT_OVERHEAD + entrySize > Protocol.MAX_FRAME_LENGTH) {
                throw new IllegalArgumentException("roster entry too large for a frame: " + Names.quote(entry.name()));
            }
            if (size + entrySize > Protocol.MAX_FRAME_LENGTH || part.size() == 0xFFFF) {
                frames.add(new Frame.Snapshot(part, true));
                part = new ArrayList<>();
                size = SNAPSHOT_OVERHEAD;
            }
            part.add(entry);
            size += entrySize;
        }
        frames.add(new Frame.Snapshot(part, false));
        return frames;
    }

    private static void entry(FieldWriter out, WireEntry entry) {
        out.string(entry.name());
        out.string(entry.host());
        out.u16(entry.udpPort());
        out.u8(entry.presence().code());
        out.string(entry.status());
        out.u8(entry.legacy() ? ENTRY_LEGACY : 0);
    }

    private static int entrySize(WireEntry entry) {
        return 2 + utf8Length(entry.name()) + 2 + utf8Length(entry.host()) + 2 + 1
                + 2 + utf8Length(entry.status()) + 1;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A growing byte array with big-endian writers. */
    private static final class FieldWriter {
        private byte[] bytes = new byte[64];
        private int size;

        int size() {
            return size;
        }

        void u8(int value) {
            ensure(1);
            bytes[size++] = (byte) value;
        }

        void u16(int value) {
            ensure(2);
            bytes[size++] = (byte) (value >>> 8);
            bytes[size++] = (byte) value;
        }

        void u32(int value) {
            u16(value >>> 16);
            u16(value & 0xFFFF);
        }

        void u64(long value) {
            u32((int) (value >>> 32));
            u32((int) value);
        }

        void bytes(byte[] data) {
            ensure(data.length);
            System.arraycopy(data, 0, bytes, size, data.length);
            size += data.length;
        }

        void string(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > 0xFFFF) {
                throw new IllegalArgumentException("string too long for the protocol: " + utf8.length + " bytes");
            }
            u16(utf8.length);
            bytes(utf8);
        }

        ByteBuffer toBuffer() {
            return ByteBuffer.wrap(bytes, 0, size).slice();
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
