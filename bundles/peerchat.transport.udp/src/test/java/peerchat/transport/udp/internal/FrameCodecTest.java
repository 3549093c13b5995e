package peerchat.transport.udp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.Test;

public class FrameCodecTest {

    /** The examples of docs/PROTOCOL-UDP.md: keep both in step. */
    static final String DOC_DATA_HEX = "50430201" + "000e" + "1a2b3c4d" + "01020304" + "0000000000000001"
            + "03" + "0007" + "4772c3bcc39f65";
    static final String DOC_ACK_HEX = "50430202" + "000e" + "1a2b3c4d" + "05060708" + "0000000000000001"
            + "00000400" + "0000000000000000" + "01" + "0000000000000003" + "0000000000000004";
    static final String DOC_PING_HEX = "50430203" + "000e" + "1a2b3c4d" + "01020304" + "00000000075bcd15";

    /** A DATA datagram with one chunk holding a whole message. */
    static ByteBuffer data(int session, int incarnation, long seq, String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = FrameCodec.startData(session, incarnation, seq);
        FrameCodec.putChunk(data, FrameCodec.CHUNK_FIRST | FrameCodec.CHUNK_LAST, utf8, 0, utf8.length);
        return data.flip();
    }

    @Test
    public void dataMatchesTheDocumentedExampleByteForByte() {
        ByteBuffer encoded = data(0x1A2B3C4D, 0x01020304, 1, "Grüße");
        assertEquals(DOC_DATA_HEX, hex(encoded));
        assertEquals(32, encoded.remaining());
    }

    @Test
    public void ackMatchesTheDocumentedExampleByteForByte() {
        ByteBuffer encoded = FrameCodec.encodeAck(0x1A2B3C4D, 0x05060708, 1, 1024, 0, new long[] {3, 4});
        assertEquals(DOC_ACK_HEX, hex(encoded));
        assertEquals(51, encoded.remaining());
    }

    @Test
    public void pingMatchesTheDocumentedExampleByteForByte() {
        assertEquals(DOC_PING_HEX, hex(FrameCodec.encodePing(0x1A2B3C4D, 0x01020304, 123456789)));
    }

    @Test
    public void dataRoundTrips() throws Exception {
        String text = "hello, Grüße, 你好, 👋";
        Frame.Data frame = (Frame.Data) FrameCodec.decode(data(-7, 9, Long.MAX_VALUE, text));
        assertEquals(-7, frame.session());
        assertEquals(9, frame.incarnation());
        assertEquals(Long.MAX_VALUE, frame.seq());
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(3 + utf8.length, frame.payload().length);
        assertEquals(text, new String(frame.payload(), 3, utf8.length, StandardCharsets.UTF_8));
    }

    @Test
    public void ackNowIsAnAdvisoryHeaderFlag() throws Exception {
        ByteBuffer data = data(0x1A2B3C4D, 0x01020304, 1, "Grüße");
        assertFalse(((Frame.Data) FrameCodec.decode(data)).ackNow());
        FrameCodec.setAckNow(data);
        assertEquals(DOC_DATA_HEX.substring(0, 8) + "10" + DOC_DATA_HEX.substring(10), hex(data));
        Frame.Data flagged = (Frame.Data) FrameCodec.decode(data);
        assertTrue(flagged.ackNow());
        assertEquals(1, flagged.seq());
        // Other advisory bits are ignored, as a v2 receiver ignores ACK_NOW.
        data.put(4, (byte) 0xE0);
        assertFalse(((Frame.Data) FrameCodec.decode(data)).ackNow());
    }

    @Test
    public void severalChunksFillOnePacket() throws Exception {
        ByteBuffer data = FrameCodec.startData(1, 2, 3);
        FrameCodec.putChunk(data, FrameCodec.CHUNK_LAST, new byte[] {1, 2}, 0, 2);
        FrameCodec.putChunk(data, FrameCodec.CHUNK_FIRST | FrameCodec.CHUNK_LAST, new byte[0], 0, 0);
        byte[] rest = new byte[FrameCodec.room(data) - FrameCodec.CHUNK_HEADER];
        FrameCodec.putChunk(data, FrameCodec.CHUNK_FIRST, rest, 0, rest.length);
        assertEquals(0, FrameCodec.room(data));
        Frame.Data frame = (Frame.Data) FrameCodec.decode(data.flip());
        assertEquals(FrameCodec.MAX_PAYLOAD, frame.payload().length);
        assertEquals(FrameCodec.MAX_DATA_DATAGRAM, data.remaining());
    }

    @Test
    public void ackRoundTrips() throws Exception {
        long[] ranges = new long[2 * FrameCodec.MAX_ACK_RANGES];
        for (int i = 0; i < FrameCodec.MAX_ACK_RANGES; i++) {
            ranges[2 * i] = 10 + 3L * i;
            ranges[2 * i + 1] = 11 + 3L * i;
        }
        Frame.Ack ack = (Frame.Ack) FrameCodec.decode(FrameCodec.encodeAck(0xCAFEBABE, 5, 8, 77, 99, ranges));
        assertEquals(0xCAFEBABE, ack.session());
        assertEquals(5, ack.incarnation());
        assertEquals(8, ack.cumulative());
        assertEquals(77, ack.window());
        assertEquals(99, ack.echo());
        assertArrayEquals(ranges, ack.ranges());
        assertTrue(FrameCodec.encodeAck(1, 1, 8, 77, 99, ranges).remaining() <= FrameCodec.MAX_DATAGRAM);
    }

    @Test
    public void pingRoundTrips() throws Exception {
        assertEquals(new Frame.Ping(4, 5, 6), FrameCodec.decode(FrameCodec.encodePing(4, 5, 6)));
    }

    @Test
    public void decodeReadsOnlyBetweenPositionAndLimit() throws Exception {
        ByteBuffer framed = ByteBuffer.allocate(100);
        framed.put(new byte[] {9, 9, 9}).put(FrameCodec.encodePing(5, 6, 7)).put(new byte[] {8, 8});
        framed.position(3).limit(3 + FrameCodec.HEADER_LENGTH + FrameCodec.PING_BODY);
        assertEquals(new Frame.Ping(5, 6, 7), FrameCodec.decode(framed));
    }

    @Test
    public void longerHeaderFromALaterRevisionIsSkipped() throws Exception {
        byte[] longer = bytes("50430203" + "0010" + "00000005" + "00000006" + "abcd" + "0000000000000007");
        assertEquals(new Frame.Ping(5, 6, 7), FrameCodec.decode(ByteBuffer.wrap(longer)));
    }

    @Test
    public void ignorableFlagsAreAccepted() throws Exception {
        assertEquals(new Frame.Ping(5, 6, 7),
                FrameCodec.decode(ByteBuffer.wrap(bytes("50430203" + "f00e" + "00000005" + "00000006" + "0000000000000007"))));
    }

    // --- every malformed case -----------------------------------------------------------------

    @Test
    public void headerProblemsAreRejected() {
        assertMalformed("empty datagram", new byte[0]);
        assertMalformed("truncated header: 2 bytes (need 14)", bytes("5043"));
        assertMalformed("truncated header: 13 bytes (need 14)", bytes("50430201000e00000000000000"));
        assertMalformed("truncated header: 14 bytes (header length says 20)", bytes("504302010014" + "0000000100000002"));
        assertMalformed("bad header length 13 (min 14)", bytes("50430201000d" + "0000000100000002" + "00"));
        assertMalformed("wrong magic 0x5044 (expected 0x5043 'PC')", bytes("50440201000e" + "0000000100000002"));
        assertMalformed("unsupported version 1 (this receiver speaks 2)", bytes("50430101000e" + "0000000100000002"));
        assertMalformed("unsupported version 3 (this receiver speaks 2)", bytes("50430301000e" + "0000000100000002"));
        assertMalformed("unknown type 0x09", bytes("50430209000e" + "0000000100000002"));
        assertMalformed("unknown type 0x00", bytes("50430200000e" + "0000000100000002"));
        assertMalformed("unsupported flags 0x01", bytes("50430201010e" + "0000000100000002"));
    }

    @Test
    public void dataProblemsAreRejected() {
        String header = "50430201000e" + "0000000100000002";
        assertMalformed("truncated DATA: 4 body bytes (need 8)", bytes(header + "00000000"));
        assertMalformed("invalid sequence number 0", bytes(header + "0000000000000000" + "030000"));
        assertMalformed("invalid sequence number 18446744073709551615", bytes(header + "ffffffffffffffff" + "030000"));
        assertMalformed("DATA without chunks", bytes(header + "0000000000000001"));
        assertMalformed("truncated chunk header at payload offset 0", bytes(header + "0000000000000001" + "0300"));
        assertMalformed("invalid chunk flags 0x04", bytes(header + "0000000000000001" + "040000"));
        assertMalformed("chunk of 2 bytes at payload offset 0 overruns the datagram (1 left)",
                bytes(header + "0000000000000001" + "03000241"));
        assertMalformed("truncated chunk header at payload offset 4",
                bytes(header + "0000000000000001" + "03000141" + "03"));
        byte[] tooLong = new byte[FrameCodec.HEADER_LENGTH + 8 + FrameCodec.MAX_PAYLOAD + 1];
        System.arraycopy(bytes(header + "0000000000000001"), 0, tooLong, 0, FrameCodec.HEADER_LENGTH + 8);
        assertMalformed("DATA payload too large: 1201 bytes (max 1200)", tooLong);
    }

    @Test
    public void ackProblemsAreRejected() {
        String header = "50430202000e" + "0000000100000002";
        assertMalformed("truncated ACK: 20 body bytes (need 21)",
                bytes(header + "0000000000000001" + "00000400" + "0000000000000000"));
        assertMalformed("invalid cumulative ack 18446744073709551615",
                bytes(header + "ffffffffffffffff" + "00000400" + "0000000000000000" + "00"));
        assertMalformed("invalid window 4294967295",
                bytes(header + "0000000000000001" + "ffffffff" + "0000000000000000" + "00"));
        assertMalformed("too many ack ranges: 65 (max 64)",
                bytes(header + "0000000000000001" + "00000400" + "0000000000000000" + "41"));
        assertMalformed("truncated ACK: 1 ranges need 16 bytes, 8 left",
                bytes(header + "0000000000000001" + "00000400" + "0000000000000000" + "01" + "0000000000000003"));
        assertMalformed("invalid ack range 2..4 after 1", bytes(header + "0000000000000001" + "00000400"
                + "0000000000000000" + "01" + "0000000000000002" + "0000000000000004"));
        assertMalformed("invalid ack range 5..4 after 1", bytes(header + "0000000000000001" + "00000400"
                + "0000000000000000" + "01" + "0000000000000005" + "0000000000000004"));
        assertMalformed("invalid ack range 6..7 after 5", bytes(header + "0000000000000001" + "00000400"
                + "0000000000000000" + "02" + "0000000000000003" + "0000000000000005" + "0000000000000006"
                + "0000000000000007"));
    }

    @Test
    public void pingProblemsAreRejected() {
        assertMalformed("truncated PING: 7 body bytes (need 8)", bytes("50430203000e" + "0000000100000002" + "00000000000000"));
    }

    @Test
    public void decodingLeavesTheCallersBufferAlone() throws Exception {
        ByteBuffer data = ByteBuffer.wrap(bytes(DOC_DATA_HEX));
        FrameCodec.decode(data);
        assertEquals(0, data.position());
        assertArrayEquals(bytes(DOC_DATA_HEX), data.array());
    }

    @Test
    public void randomBytesNeverThrowAnythingButMalformed() {
        java.util.Random random = new java.util.Random(42);
        ByteBuffer valid = ByteBuffer.wrap(bytes(DOC_ACK_HEX));
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(80)];
                random.nextBytes(bytes);
            } else { // mutate a valid frame: most mutations pass the header checks
                bytes = valid.array().clone();
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            try {
                FrameCodec.decode(ByteBuffer.wrap(bytes));
            } catch (MalformedFrameException expected) {
                assertTrue(!expected.getMessage().isBlank());
            }
        }
    }

    private static void assertMalformed(String reason, byte[] datagram) {
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> FrameCodec.decode(ByteBuffer.wrap(datagram)));
        assertEquals(reason, e.getMessage());
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
