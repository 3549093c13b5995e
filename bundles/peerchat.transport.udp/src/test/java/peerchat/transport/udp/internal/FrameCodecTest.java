package peerchat.transport.udp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.Test;

public class FrameCodecTest {

    /** The examples of docs/PROTOCOL-UDP.md: keep both in step. */
    static final String DOC_DATA_HEX = "50430201" + "200e" + "1a2b3c4d" + "01020304" + "0000000000000001"
            + "03" + "0007" + "4772c3bcc39f65";
    static final String DOC_ACK_HEX = "50430202" + "200e" + "1a2b3c4d" + "05060708" + "0000000000000001"
            + "00000400" + "0000000000000000" + "01" + "0000000000000003" + "0000000000000004";
    static final String DOC_DATA_WITH_ACK_HEX = "50430201" + "210e" + "1a2b3c4d" + "01020304" + "0000000000000001"
            + "55667788" + "0000000000000007" + "00000400" + "00" + "03" + "0007" + "4772c3bcc39f65";
    /** DATA "Grüße" with message id "m1" (chunk flag ID, since 2.1). */
    static final String DOC_DATA_WITH_ID_HEX = "50430201" + "200e" + "1a2b3c4d" + "01020304" + "0000000000000001"
            + "07" + "000a" + "02" + "6d31" + "4772c3bcc39f65";
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
        assertEquals(DOC_DATA_HEX.substring(0, 8) + "30" + DOC_DATA_HEX.substring(10), hex(data));
        Frame.Data flagged = (Frame.Data) FrameCodec.decode(data);
        assertTrue(flagged.ackNow());
        assertEquals(1, flagged.seq());
        // Other advisory bits are ignored, as a v2 receiver ignores ACK_NOW.
        data.put(4, (byte) 0xE0);
        assertFalse(((Frame.Data) FrameCodec.decode(data)).ackNow());
    }

    @Test
    public void dataAndAckAnnounceTheyTakeIncludedAcksPingDoesNot() throws Exception {
        ByteBuffer data = data(1, 2, 3, "x");
        assertEquals(FrameCodec.FLAG_PIGGYBACK_OK, data.get(4));
        assertTrue(((Frame.Data) FrameCodec.decode(data)).piggybackOk());
        assertEquals(FrameCodec.FLAG_PIGGYBACK_OK, FrameCodec.encodeAck(1, 2, 0, 10, 0, new long[0]).get(4));
        assertEquals(0, FrameCodec.encodePing(1, 2, 3).get(4));
        data.put(4, (byte) 0); // an older v2 peer
        Frame.Data old = (Frame.Data) FrameCodec.decode(data);
        assertFalse(old.piggybackOk());
        assertNull(old.ack());
    }

    @Test
    public void dataWithAnIncludedAckMatchesTheDocumentedExampleByteForByte() throws Exception {
        ByteBuffer plain = data(0x1A2B3C4D, 0x01020304, 1, "Grüße");
        ByteBuffer withAck = FrameCodec.includeAck(plain,
                new Frame.Ack(0x55667788, 0x01020304, 7, 1024, 0, new long[0]));
        assertEquals(DOC_DATA_WITH_ACK_HEX, hex(withAck));
        assertEquals(49, withAck.remaining());
        assertEquals("the packet kept for retransmission is untouched", DOC_DATA_HEX, hex(plain));

        Frame.Data frame = (Frame.Data) FrameCodec.decode(withAck);
        assertEquals(0x1A2B3C4D, frame.session());
        assertEquals(1, frame.seq());
        assertEquals("Grüße", new String(frame.payload(), 3, frame.payload().length - 3, StandardCharsets.UTF_8));
        Frame.Ack ack = frame.ack();
        assertEquals(0x55667788, ack.session());
        assertEquals("the DATA sender's incarnation", 0x01020304, ack.incarnation());
        assertEquals(7, ack.cumulative());
        assertEquals(1024, ack.window());
        assertEquals(0, ack.echo());
        assertEquals(0, ack.rangeCount());
    }

    @Test
    public void anIncludedAckWithRangesRoundTripsAndKeepsAckNow() throws Exception {
        ByteBuffer full = FrameCodec.startData(-3, 9, Long.MAX_VALUE);
        byte[] text = new byte[FrameCodec.room(full) - FrameCodec.CHUNK_HEADER];
        FrameCodec.putChunk(full, FrameCodec.CHUNK_FIRST, text, 0, text.length);
        FrameCodec.setAckNow(full);
        full.flip();
        long[] ranges = {12, 13, 20, Long.MAX_VALUE - 1};
        ByteBuffer withAck = FrameCodec.includeAck(full, new Frame.Ack(0xCAFEBABE, 9, 10, Integer.MAX_VALUE, 0,
                ranges));
        assertEquals(FrameCodec.MAX_DATA_WITH_ACK_DATAGRAM, withAck.remaining());
        assertTrue("within the IPv6 minimum MTU's 1280 bytes", withAck.remaining() <= 1280);
        assertEquals(FrameCodec.MAX_DATAGRAM, FrameCodec.MAX_DATA_WITH_ACK_DATAGRAM);

        Frame.Data frame = (Frame.Data) FrameCodec.decode(withAck);
        assertTrue(frame.ackNow());
        assertTrue(frame.piggybackOk());
        assertEquals(Long.MAX_VALUE, frame.seq());
        assertEquals(FrameCodec.MAX_PAYLOAD, frame.payload().length);
        assertEquals(0xCAFEBABE, frame.ack().session());
        assertEquals(10, frame.ack().cumulative());
        assertEquals(Integer.MAX_VALUE, frame.ack().window());
        assertArrayEquals(ranges, frame.ack().ranges());
    }

    @Test
    public void onlyDataWithFewRangesCanIncludeAnAck() {
        ByteBuffer data = data(1, 2, 3, "x");
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.includeAck(data,
                new Frame.Ack(4, 2, 1, 10, 0, new long[] {3, 3, 5, 5, 7, 7})));
        assertThrows(IllegalArgumentException.class, () -> FrameCodec.includeAck(FrameCodec.encodePing(1, 2, 3),
                new Frame.Ack(4, 2, 1, 10, 0, new long[0])));
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
        assertMalformed("unsupported flags 0x02", bytes("50430201020e" + "0000000100000002"));
        assertMalformed("unsupported flags 0x28", bytes("50430201280e" + "0000000100000002"));
        // ACK_INCLUDED is defined for DATA only.
        assertMalformed("unsupported flags 0x01", bytes("50430202010e" + "0000000100000002"));
        assertMalformed("unsupported flags 0x21", bytes("50430203210e" + "0000000100000002"));
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
    public void includedAckProblemsAreRejected() {
        String header = "50430201" + "210e" + "0000000100000002" + "0000000000000005";
        String chunk = "030000";
        String ackHead = "00000009" + "0000000000000001" + "00000400";
        // The flag set but no ACK part at all: nothing after the seq, or chunks only.
        assertMalformed("truncated included ACK: 0 bytes (need 17)", bytes(header));
        assertMalformed("truncated included ACK: 3 bytes (need 17)", bytes(header + chunk));
        assertMalformed("truncated included ACK: 16 bytes (need 17)", bytes(header + ackHead));
        assertMalformed("too many included ack ranges: 3 (max 2)", bytes(header + ackHead + "03"
                + "0000000000000003" + "0000000000000003" + "0000000000000005" + "0000000000000005"
                + "0000000000000007" + "0000000000000007" + chunk));
        assertMalformed("truncated included ACK: 2 ranges need 32 bytes, 19 left", bytes(header + ackHead + "02"
                + "0000000000000003" + "0000000000000003" + chunk));
        assertMalformed("invalid ack range 2..2 after 1", bytes(header + ackHead + "01"
                + "0000000000000002" + "0000000000000002" + chunk));
        assertMalformed("invalid ack range 6..4 after 1", bytes(header + ackHead + "01"
                + "0000000000000006" + "0000000000000004" + chunk));
        assertMalformed("invalid ack range 5..6 after 7", bytes(header + ackHead + "02"
                + "0000000000000003" + "0000000000000007" + "0000000000000005" + "0000000000000006" + chunk));
        assertMalformed("invalid cumulative ack 18446744073709551615",
                bytes(header + "00000009" + "ffffffffffffffff" + "00000400" + "00" + chunk));
        assertMalformed("invalid window 4294967295",
                bytes(header + "00000009" + "0000000000000001" + "ffffffff" + "00" + chunk));
        // A complete ACK part but no chunks after it: still a DATA without chunks.
        assertMalformed("DATA without chunks", bytes(header + ackHead + "00"));
        assertMalformed("chunk of 2 bytes at payload offset 0 overruns the datagram (1 left)",
                bytes(header + ackHead + "00" + "03000241"));
        byte[] tooLong = new byte[FrameCodec.MAX_DATA_WITH_ACK_DATAGRAM - 32 + 1];
        System.arraycopy(bytes(header + ackHead + "00"), 0, tooLong, 0, 39);
        assertMalformed("DATA payload too large: 1201 bytes (max 1200)", tooLong);
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
        byte[][] valid = {bytes(DOC_ACK_HEX), bytes(DOC_DATA_WITH_ACK_HEX)};
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(80)];
                random.nextBytes(bytes);
            } else { // mutate a valid frame: most mutations pass the header checks
                bytes = valid[(i / 2) % 2].clone();
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

    // --- message ids (2.1) ------------------------------------------------------------------------

    @Test
    public void dataWithAMessageIdMatchesTheDocumentedExampleByteForByte() throws Exception {
        byte[] text = "Grüße".getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = FrameCodec.startData(0x1A2B3C4D, 0x01020304, 1);
        FrameCodec.putChunk(data, FrameCodec.CHUNK_FIRST | FrameCodec.CHUNK_LAST, FrameCodec.messageId("m1"), text, 0,
                text.length);
        data.flip();
        assertEquals(DOC_DATA_WITH_ID_HEX, hex(data));
        assertEquals(35, data.remaining());

        Frame.Data decoded = (Frame.Data) FrameCodec.decode(data);
        StringBuilder seen = new StringBuilder();
        FrameCodec.chunks(decoded.payload(), (first, last, id, payload, from, length) -> seen.append(first)
                .append(' ').append(last).append(' ').append(id).append(' ')
                .append(new String(payload, from, length, StandardCharsets.UTF_8)));
        assertEquals("true true m1 Grüße", seen.toString());
        assertEquals(1, FrameCodec.messageEnds(decoded.payload()));
    }

    @Test
    public void onlyTheFirstChunkCarriesTheIdAndChunksWithoutIdReadAsBefore() throws Exception {
        byte[] text = "abcdef".getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = FrameCodec.startData(1, 2, 3);
        FrameCodec.putChunk(data, FrameCodec.CHUNK_FIRST, FrameCodec.messageId("id-7"), text, 0, 3);
        FrameCodec.putChunk(data, FrameCodec.CHUNK_LAST, null, text, 3, 3);
        FrameCodec.putChunk(data, FrameCodec.CHUNK_FIRST | FrameCodec.CHUNK_LAST, null, text, 0, 0);
        data.flip();
        assertEquals("05" + "0008" + "04" + "69642d37" + "616263" + "02" + "0003" + "646566" + "03" + "0000",
                hex(data).substring(44));
        assertThrows(IllegalArgumentException.class,
                () -> FrameCodec.putChunk(FrameCodec.startData(1, 2, 3), FrameCodec.CHUNK_LAST, new byte[] {'x'}, text,
                        0, 1));
        Frame.Data decoded = (Frame.Data) FrameCodec.decode(data);
        List<String> ids = new ArrayList<>();
        FrameCodec.chunks(decoded.payload(), (first, last, id, payload, from, length) -> ids.add(id + ":"
                + new String(payload, from, length, StandardCharsets.UTF_8)));
        assertEquals(List.of("id-7:abc", "null:def", "null:"), ids);
        assertEquals(2, FrameCodec.messageEnds(decoded.payload()));
    }

    @Test
    public void badMessageIdsAreRejected() {
        String data = "50430201000e" + "0000000100000002" + "0000000000000001";
        assertMalformed("invalid chunk flags 0x06", bytes(data + "06" + "0003" + "01" + "4141"));
        assertMalformed("invalid message id length 0 at payload offset 0 (1..64, within the chunk's 0 bytes)",
                bytes(data + "07" + "0000"));
        assertMalformed("invalid message id length 0 at payload offset 0 (1..64, within the chunk's 2 bytes)",
                bytes(data + "07" + "0002" + "0041"));
        assertMalformed("invalid message id length 3 at payload offset 0 (1..64, within the chunk's 3 bytes)",
                bytes(data + "07" + "0003" + "034141"));
        assertMalformed("invalid message id length 65 at payload offset 0 (1..64, within the chunk's 70 bytes)",
                bytes(data + "07" + "0046" + "41" + "41".repeat(69)));
        assertMalformed("invalid message id byte 0x0A (printable ASCII only)", bytes(data + "07" + "0003" + "02410a"));
        assertMalformed("invalid message id byte 0xC3 (printable ASCII only)", bytes(data + "07" + "0003" + "02c3bc"));

        assertNull(FrameCodec.messageId(null));
        assertArrayEquals("a b~".getBytes(StandardCharsets.US_ASCII), FrameCodec.messageId("a b~"));
        assertEquals(64, FrameCodec.messageId("x".repeat(64)).length);
        assertEquals("invalid message id: 0 characters (must be 1..64)",
                assertThrows(IllegalArgumentException.class, () -> FrameCodec.messageId("")).getMessage());
        assertEquals("invalid message id: 65 characters (must be 1..64)",
                assertThrows(IllegalArgumentException.class, () -> FrameCodec.messageId("x".repeat(65))).getMessage());
        assertEquals("invalid message id: character U+00FC at 1 is not printable ASCII",
                assertThrows(IllegalArgumentException.class, () -> FrameCodec.messageId("gü")).getMessage());
    }
}
