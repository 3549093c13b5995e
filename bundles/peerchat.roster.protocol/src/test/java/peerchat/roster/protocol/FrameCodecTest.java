package peerchat.roster.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class FrameCodecTest {

    private static final WireEntry ALICE = WireEntry.online("alice", "127.0.0.1", 6001);
    private static final WireEntry BOB = new WireEntry("bob", "::1", 6002, WirePresence.AWAY, "in a meeting – back at 3 ☕", false);
    private static final WireEntry CAROL = new WireEntry("carol", "10.0.0.7", 40000, WirePresence.BUSY, "", true);

    private final FrameEncoder encoder = new FrameEncoder();

    private static List<Frame> everyKindOfFrame() {
        return List.of(
                new Frame.Hello("alice", 6001),
                new Frame.Hello("x", 65535),
                new Frame.Hello(1, "old", 6009),
                new Frame.Hello(2, "bob", 6002, WirePresence.BUSY, "coding – do not disturb ☕"),
                new Frame.SetPresence(WirePresence.AWAY, "lunch"),
                new Frame.SetPresence(WirePresence.ONLINE, ""),
                new Frame.Error(ErrorCode.TOO_MANY_REQUESTS, "slow down"),
                new Frame.Error(ErrorCode.TIMEOUT, "silent"),
                new Frame.Snapshot(List.of()),
                new Frame.Snapshot(List.of(ALICE, BOB, CAROL)),
                new Frame.Snapshot(List.of(BOB), true),
                new Frame.Joined(CAROL),
                new Frame.Left("bob"),
                new Frame.PresenceChanged(BOB),
                new Frame.Error(ErrorCode.NAME_TAKEN, "name taken: bob"),
                new Frame.Error(ErrorCode.BAD_NAME, "bad name"),
                new Frame.Error(ErrorCode.UNSUPPORTED_VERSION, "v2"),
                new Frame.Error(ErrorCode.FRAME_TOO_LARGE, "too big"),
                new Frame.Error(ErrorCode.PROTOCOL_ERROR, ""),
                new Frame.Bye(),
                new Frame.Ping(0x0102030405060708L),
                new Frame.Pong(-1L));
    }

    @Test
    public void everyFrameSurvivesARoundTrip() throws Exception {
        for (Frame frame : everyKindOfFrame()) {
            FrameDecoder decoder = new FrameDecoder();
            ByteBuffer bytes = encoder.encode(frame);
            assertEquals(frame, decoder.decode(bytes));
            assertFalse("whole frame consumed: " + frame, bytes.hasRemaining());
            assertFalse(decoder.hasPartialFrame());
        }
    }

    @Test
    public void framesFedOneByteAtATimeComeOutWhole() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Frame frame : everyKindOfFrame()) {
            stream.writeBytes(encoder.encodeToArray(frame));
        }
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> decoded = new ArrayList<>();
        for (byte b : stream.toByteArray()) {
            Frame frame = decoder.decode(ByteBuffer.wrap(new byte[] {b}));
            if (frame != null) {
                decoded.add(frame);
            }
        }
        assertEquals(everyKindOfFrame(), decoded);
        assertFalse(decoder.hasPartialFrame());
    }

    @Test
    public void framesSplitAcrossUnevenChunksComeOutWhole() throws Exception {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (Frame frame : everyKindOfFrame()) {
            stream.writeBytes(encoder.encodeToArray(frame));
        }
        byte[] all = stream.toByteArray();
        FrameDecoder decoder = new FrameDecoder();
        List<Frame> decoded = new ArrayList<>();
        int[] chunkSizes = {3, 7, 1, 50, 2, 13};
        int offset = 0;
        for (int i = 0; offset < all.length; i++) {
            int n = Math.min(chunkSizes[i % chunkSizes.length], all.length - offset);
            decoded.addAll(decoder.decodeAll(ByteBuffer.wrap(all, offset, n)));
            offset += n;
        }
        assertEquals(everyKindOfFrame(), decoded);
    }

    @Test
    public void partialFrameYieldsNothingYet() throws Exception {
        byte[] hello = encoder.encodeToArray(new Frame.Hello("alice", 6001));
        FrameDecoder decoder = new FrameDecoder();
        assertNull(decoder.decode(ByteBuffer.wrap(hello, 0, hello.length - 1)));
        assertTrue(decoder.hasPartialFrame());
        assertEquals(new Frame.Hello("alice", 6001), decoder.decode(ByteBuffer.wrap(hello, hello.length - 1, 1)));
    }

    @Test
    public void helloHasTheDocumentedLayout() {
        // the same bytes as the hex dump in docs/PROTOCOL.md
        byte[] expected = {
            0x00, 0x00, 0x00, 0x10, // length 16
            0x01, // HELLO
            'P', 'C', 'R', 'P', // magic
            0x00, 0x01, // version 1
            0x00, 0x05, 'a', 'l', 'i', 'c', 'e', // name
            0x17, 0x71 }; // UDP port 6001
        assertArrayEquals(expected, encoder.encodeToArray(new Frame.Hello(1, "alice", 6001)));
    }

    @Test
    public void helloVersion2HasTheDocumentedLayout() {
        // the same bytes as the hex dump in docs/PROTOCOL.md
        String expected = "0000001801504352500002000561 6c69636517710100056c756e6368".replace(" ", "");
        assertEquals(expected, hex(encoder.encodeToArray(
                new Frame.Hello(2, "alice", 6001, WirePresence.AWAY, "lunch"))).replace(" ", ""));
        assertEquals("000000090a0100056c756e6368",
                hex(encoder.encodeToArray(new Frame.SetPresence(WirePresence.AWAY, "lunch"))).replace(" ", ""));
    }

    @Test
    public void statusTextRule() {
        assertTrue(StatusText.isValid(""));
        assertTrue(StatusText.isValid("x".repeat(140)));
        assertTrue(StatusText.isValid("☕".repeat(140)));
        assertFalse(StatusText.isValid("x".repeat(141)));
        assertFalse(StatusText.isValid("two\nlines"));
        assertFalse(StatusText.isValid(null));
    }

    @Test
    public void snapshotHasTheDocumentedLayout() {
        // the same bytes as the hex dump in docs/PROTOCOL.md
        String expected = "00000037020000020005616c69636500093132372e302e302e31177100000000"
                + "0003626f6200093132372e302e302e3117720100056c756e636800";
        Frame snapshot = new Frame.Snapshot(List.of(WireEntry.online("alice", "127.0.0.1", 6001),
                new WireEntry("bob", "127.0.0.1", 6002, WirePresence.AWAY, "lunch", false)));
        assertEquals(expected, hex(encoder.encodeToArray(snapshot)).replace(" ", ""));
    }

    @Test
    public void firstByteOfEveryFrameIsZeroSoLegacyLoginLinesStandApart() {
        for (Frame frame : everyKindOfFrame()) {
            assertEquals(0, encoder.encodeToArray(frame)[0]);
        }
    }

    @Test
    public void oversizedLengthIsRefusedBeforeTheBodyArrives() {
        ByteBuffer header = ByteBuffer.allocate(4).putInt(0, Protocol.MAX_FRAME_LENGTH + 1);
        expectError(ErrorCode.FRAME_TOO_LARGE, header.array());
        expectError(ErrorCode.FRAME_TOO_LARGE, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        // ASCII text where a length belongs, e.g. an HTTP request or a legacy client: huge length
        expectError(ErrorCode.FRAME_TOO_LARGE, "login-bob\n".getBytes());
    }

    @Test
    public void largestAllowedFrameIsAccepted() throws Exception {
        // type 1 + name 2+1 + host 2+1 + port 2 + presence 1 + status 2+n + flags 1 = 13 + n
        String status = "s".repeat(Protocol.MAX_FRAME_LENGTH - 13);
        Frame frame = new Frame.Joined(new WireEntry("a", "h", 1, WirePresence.ONLINE, status, false));
        ByteBuffer bytes = encoder.encode(frame);
        assertEquals(Protocol.MAX_FRAME_LENGTH, bytes.getInt(0));
        assertEquals(frame, new FrameDecoder().decode(bytes));
    }

    @Test(expected = IllegalArgumentException.class)
    public void encoderRefusesAFrameOneByteAboveTheLimit() {
        String status = "s".repeat(Protocol.MAX_FRAME_LENGTH - 12);
        encoder.encode(new Frame.Joined(new WireEntry("a", "h", 1, WirePresence.ONLINE, status, false)));
    }

    @Test
    public void emptyFrameIsAProtocolError() {
        expectError(ErrorCode.PROTOCOL_ERROR, new byte[] {0, 0, 0, 0});
    }

    @Test
    public void unknownTypeIsAProtocolError() {
        ProtocolException e = expectError(ErrorCode.PROTOCOL_ERROR, new byte[] {0, 0, 0, 1, 0x7F});
        assertEquals("unknown frame type 0x7f", e.getMessage());
    }

    @Test
    public void truncatedStringIsAProtocolError() {
        // LEFT whose string claims 10 bytes but carries 3
        expectError(ErrorCode.PROTOCOL_ERROR, new byte[] {0, 0, 0, 6, 0x04, 0x00, 0x0A, 'b', 'o', 'b'});
    }

    @Test
    public void truncatedFixedFieldIsAProtocolError() {
        // PING with a 4-byte token instead of 8
        expectError(ErrorCode.PROTOCOL_ERROR, new byte[] {0, 0, 0, 5, 0x08, 1, 2, 3, 4});
    }

    @Test
    public void badUtf8IsAProtocolError() {
        // LEFT with the invalid sequence C3 28
        ProtocolException e = expectError(ErrorCode.PROTOCOL_ERROR, new byte[] {0, 0, 0, 5, 0x04, 0x00, 0x02, (byte) 0xC3, 0x28});
        assertTrue(e.getMessage(), e.getMessage().contains("UTF-8"));
    }

    @Test
    public void trailingBytesAreAProtocolError() {
        expectError(ErrorCode.PROTOCOL_ERROR, new byte[] {0, 0, 0, 2, 0x07, 0x00});
    }

    @Test
    public void unknownPresenceIsAProtocolError() {
        byte[] joined = encoder.encodeToArray(new Frame.Joined(ALICE));
        // layout: len(4) type(1) name(2+5) host(2+9) port(2) presence(1)...
        joined[4 + 1 + 7 + 11 + 2] = 9;
        expectError(ErrorCode.PROTOCOL_ERROR, joined);
    }

    @Test
    public void wrongMagicIsAProtocolError() {
        byte[] hello = encoder.encodeToArray(new Frame.Hello("alice", 6001));
        hello[5] = 'X';
        ProtocolException e = expectError(ErrorCode.PROTOCOL_ERROR, hello);
        assertTrue(e.getMessage(), e.getMessage().contains("magic"));
    }

    @Test
    public void otherVersionIsUnsupported() {
        byte[] hello = encoder.encodeToArray(new Frame.Hello(3, "alice", 6001));
        ProtocolException e = expectError(ErrorCode.UNSUPPORTED_VERSION, hello);
        assertEquals("protocol version 3 is not supported (this side speaks 1 to 2)", e.getMessage());
    }

    @Test
    public void decoderRefusesInputAfterAnError() {
        FrameDecoder decoder = new FrameDecoder();
        try {
            decoder.decode(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 0x7F}));
            fail("expected a protocol error");
        } catch (ProtocolException expected) {
            // the stream is out of step now
        }
        try {
            decoder.decode(ByteBuffer.wrap(encoder.encodeToArray(new Frame.Bye())));
            fail("expected the decoder to stay failed");
        } catch (IllegalStateException | ProtocolException expected) {
            assertTrue(expected instanceof IllegalStateException);
        }
    }

    @Test
    public void unknownErrorCodeBecomesOther() throws Exception {
        byte[] error = encoder.encodeToArray(new Frame.Error(ErrorCode.BAD_NAME, "x"));
        error[6] = 99; // low byte of the code
        assertEquals(new Frame.Error(ErrorCode.OTHER, "x"), new FrameDecoder().decode(ByteBuffer.wrap(error)));
    }

    @Test
    public void bigRosterIsSplitIntoSnapshotsThatEachFit() throws Exception {
        List<WireEntry> roster = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            roster.add(new WireEntry("user" + i, "192.168.100." + (i % 250), 10000 + i, WirePresence.ONLINE,
                    "status text of user " + i, i % 7 == 0));
        }
        List<Frame.Snapshot> frames = encoder.snapshotFrames(roster);
        assertTrue("needs several frames: " + frames.size(), frames.size() > 1);
        FrameDecoder decoder = new FrameDecoder();
        List<WireEntry> reassembled = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            ByteBuffer bytes = encoder.encode(frames.get(i));
            assertTrue(bytes.getInt(0) <= Protocol.MAX_FRAME_LENGTH);
            Frame.Snapshot decoded = (Frame.Snapshot) decoder.decode(bytes);
            assertEquals(i < frames.size() - 1, decoded.more());
            reassembled.addAll(decoded.entries());
        }
        assertEquals(roster, reassembled);
    }

    @Test
    public void emptyRosterIsOneEmptySnapshot() {
        assertEquals(List.of(new Frame.Snapshot(List.of(), false)), encoder.snapshotFrames(List.of()));
    }

    private static ProtocolException expectError(ErrorCode code, byte[] bytes) {
        FrameDecoder decoder = new FrameDecoder();
        try {
            Frame frame = decoder.decode(ByteBuffer.wrap(bytes));
            fail("expected " + code + " but decoded " + frame);
            return null;
        } catch (ProtocolException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e;
        }
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual) {
        org.junit.Assert.assertArrayEquals(hex(expected) + " vs " + hex(actual), expected, actual);
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format("%02x ", b));
        }
        return out.toString().trim();
    }
}
