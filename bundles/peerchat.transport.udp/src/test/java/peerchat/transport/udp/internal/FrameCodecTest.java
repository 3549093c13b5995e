package peerchat.transport.udp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.Test;

public class FrameCodecTest {

    /** The example of docs/PROTOCOL-UDP.md: keep both in step. */
    private static final String DOC_DATA_HEX = "50430101" + "0012" + "1a2b3c4d" + "0000000000000001" + "4772c3bcc39f65";
    private static final String DOC_ACK_HEX = "50430102" + "0012" + "1a2b3c4d" + "0000000000000001";

    @Test
    public void dataMatchesTheDocumentedExampleByteForByte() {
        ByteBuffer encoded = FrameCodec.encodeData(0x1A2B3C4D, 1, "Grüße".getBytes(StandardCharsets.UTF_8));
        assertEquals(DOC_DATA_HEX, hex(encoded));
        assertEquals(25, encoded.remaining());
    }

    @Test
    public void ackMatchesTheDocumentedExampleByteForByte() {
        assertEquals(DOC_ACK_HEX, hex(FrameCodec.encodeAck(0x1A2B3C4D, 1)));
    }

    @Test
    public void dataRoundTrips() throws Exception {
        String text = "hello, Grüße, 你好, 👋";
        Frame frame = FrameCodec.decode(FrameCodec.encodeData(-7, Long.MAX_VALUE, text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Frame.data(-7, Long.MAX_VALUE, text), frame);
    }

    @Test
    public void emptyTextRoundTrips() throws Exception {
        assertEquals(Frame.data(1, 2, ""), FrameCodec.decode(FrameCodec.encodeData(1, 2, new byte[0])));
    }

    @Test
    public void largestTextRoundTrips() throws Exception {
        String text = "x".repeat(FrameCodec.MAX_TEXT_BYTES);
        ByteBuffer encoded = FrameCodec.encodeData(3, 4, text.getBytes(StandardCharsets.UTF_8));
        assertEquals(FrameCodec.MAX_DATAGRAM_BYTES, encoded.remaining());
        assertEquals(text, FrameCodec.decode(encoded).text());
    }

    @Test
    public void ackRoundTrips() throws Exception {
        assertEquals(Frame.ack(0xCAFEBABE, 42), FrameCodec.decode(FrameCodec.encodeAck(0xCAFEBABE, 42)));
    }

    @Test
    public void decodeReadsOnlyBetweenPositionAndLimit() throws Exception {
        ByteBuffer framed = ByteBuffer.allocate(100);
        framed.put(new byte[] {9, 9, 9}).put(FrameCodec.encodeData(5, 6, "hi".getBytes(StandardCharsets.UTF_8)));
        framed.flip().position(3);
        assertEquals(Frame.data(5, 6, "hi"), FrameCodec.decode(framed));
    }

    @Test
    public void longerHeaderFromALaterRevisionIsSkipped() throws Exception {
        byte[] datagram = bytes(DOC_ACK_HEX + "0000" + "ffff"); // header length 22 in byte 5, 4 unknown bytes
        datagram[5] = 22;
        ByteBuffer data = ByteBuffer.allocate(datagram.length + 2).put(datagram).put((byte) 'o').put((byte) 'k').flip();
        data.put(3, (byte) FrameType.DATA.code);
        assertEquals(Frame.data(0x1A2B3C4D, 1, "ok"), FrameCodec.decode(data));
    }

    @Test
    public void ignorableFlagsAreAcceptedAndReported() throws Exception {
        byte[] datagram = bytes(DOC_ACK_HEX);
        datagram[4] = (byte) 0x80;
        assertEquals(0x80, FrameCodec.decode(ByteBuffer.wrap(datagram)).flags());
    }

    @Test
    public void emptyDatagramIsRejected() {
        assertMalformed("empty datagram", new byte[0]);
    }

    @Test
    public void truncatedHeaderIsRejected() {
        byte[] full = bytes(DOC_ACK_HEX);
        for (int length = 1; length < FrameCodec.HEADER_LENGTH; length++) {
            byte[] cut = new byte[length];
            System.arraycopy(full, 0, cut, 0, length);
            assertMalformed("truncated header: " + length + " bytes (need 18)", cut);
        }
    }

    @Test
    public void headerLengthBeyondTheDatagramIsRejected() {
        byte[] datagram = bytes(DOC_ACK_HEX);
        datagram[5] = 30;
        assertMalformed("truncated header: 18 bytes (header length says 30)", datagram);
    }

    @Test
    public void headerLengthBelowV1IsRejected() {
        byte[] datagram = bytes(DOC_ACK_HEX);
        datagram[5] = 10;
        assertMalformed("bad header length 10 (min 18)", datagram);
    }

    @Test
    public void wrongMagicIsRejected() {
        byte[] datagram = bytes(DOC_ACK_HEX);
        datagram[1] = 'X';
        assertMalformed("wrong magic 0x5058 (expected 0x5043 'PC')", datagram);
    }

    @Test
    public void otherVersionIsRejected() {
        byte[] datagram = bytes(DOC_ACK_HEX);
        datagram[2] = 2;
        assertMalformed("unsupported version 2 (this receiver speaks 1)", datagram);
    }

    @Test
    public void unknownTypeIsRejected() {
        byte[] datagram = bytes(DOC_ACK_HEX);
        datagram[3] = 7;
        assertMalformed("unknown type 0x07", datagram);
    }

    @Test
    public void criticalFlagsAreRejected() {
        byte[] datagram = bytes(DOC_ACK_HEX);
        datagram[4] = 0x01;
        assertMalformed("unsupported flags 0x01", datagram);
    }

    @Test
    public void nonPositiveMessageIdIsRejected() {
        assertMalformed("invalid message id 0", bytes("50430102" + "0012" + "1a2b3c4d" + "0000000000000000"));
        assertMalformed("invalid message id 18446744073709551615",
                bytes("50430102" + "0012" + "1a2b3c4d" + "ffffffffffffffff"));
    }

    @Test
    public void invalidUtf8IsRejected() {
        assertMalformed("invalid UTF-8 in message text", bytes(DOC_DATA_HEX.replace("c3bc", "c328")));
        assertMalformed("invalid UTF-8 in message text", bytes(DOC_DATA_HEX + "c3")); // cut in a character
        assertMalformed("invalid UTF-8 in message text", bytes(DOC_DATA_HEX + "eda080")); // lone surrogate
    }

    @Test
    public void encoderRefusesTooLargeText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameCodec.encodeData(1, 1, new byte[FrameCodec.MAX_TEXT_BYTES + 1]));
        assertEquals("message too large: 60001 bytes (max 60000)", e.getMessage());
    }

    @Test
    public void decodingLeavesTheCallersBufferAlone() throws Exception {
        ByteBuffer data = ByteBuffer.wrap(bytes(DOC_DATA_HEX));
        FrameCodec.decode(data);
        assertEquals(0, data.position());
        assertArrayEquals(bytes(DOC_DATA_HEX), data.array());
    }

    private static void assertMalformed(String reason, byte[] datagram) {
        MalformedFrameException e = assertThrows(MalformedFrameException.class,
                () -> FrameCodec.decode(ByteBuffer.wrap(datagram)));
        assertEquals(reason, e.getMessage());
        assertTrue(reason, !e.getMessage().isBlank());
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
