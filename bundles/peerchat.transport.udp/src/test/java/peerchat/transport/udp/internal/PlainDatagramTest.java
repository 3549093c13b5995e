package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

/** Telling the original application's header-less text datagrams from frames and from random bytes. */
public class PlainDatagramTest {

    private static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void chatLinesOfTheOriginalAreText() {
        assertEquals("bob: hi there", PlainDatagram.text(utf8("bob: hi there")));
        assertEquals("  bob: Grüße 👋\r\n", PlainDatagram.text(utf8("  bob: Grüße 👋\r\n")));
        assertEquals("a\tb\nc", PlainDatagram.text(utf8("a\tb\nc")));
    }

    @Test
    public void framesClaimToBeFramesAndAreNeverText() {
        ByteBuffer data = FrameCodecTest.data(0x1A2B3C4D, 0x01020304, 1, "Grüße");
        assertTrue(PlainDatagram.claimsToBeFrame(data));
        assertNull(PlainDatagram.text(data));
        assertTrue(PlainDatagram.claimsToBeFrame(FrameCodec.encodePing(1, 2, 3)));
        assertTrue(PlainDatagram.claimsToBeFrame(ByteBuffer.wrap(FrameCodecTest.bytes("5043")))); // a cut header
        assertTrue(PlainDatagram.claimsToBeFrame(ByteBuffer.wrap(FrameCodecTest.bytes("50430101")))); // version 1
    }

    @Test
    public void textThatStartsWithTheMagicIsText() {
        assertFalse(PlainDatagram.claimsToBeFrame(utf8("PCfan: hello")));
        assertFalse(PlainDatagram.claimsToBeFrame(utf8("P")));
        assertFalse(PlainDatagram.claimsToBeFrame(utf8("bob: PC")));
        assertEquals("PCfan: hello", PlainDatagram.text(utf8("PCfan: hello")));
    }

    @Test
    public void bytesNoOneTypesAreNotText() {
        assertNull("empty", PlainDatagram.text(ByteBuffer.allocate(0)));
        assertNull("blank", PlainDatagram.text(utf8(" \t\r\n ")));
        assertNull("invalid UTF-8", PlainDatagram.text(ByteBuffer.wrap(FrameCodecTest.bytes("626f623a20ff"))));
        assertNull("overlong encoding", PlainDatagram.text(ByteBuffer.wrap(FrameCodecTest.bytes("c0af"))));
        assertNull("cut sequence", PlainDatagram.text(ByteBuffer.wrap(FrameCodecTest.bytes("626f62e282"))));
        assertNull("NUL", PlainDatagram.text(utf8("bob: a\u0000b")));
        assertNull("escape", PlainDatagram.text(utf8("bob: \u001b[31mred")));
        assertNull("DEL", PlainDatagram.text(utf8("bob: \u007f")));
        assertNull("C1 control", PlainDatagram.text(utf8("\u009a")));
    }

    @Test
    public void readingLeavesTheBufferAsItWas() {
        ByteBuffer datagram = utf8("xbob: hi");
        datagram.position(1);
        assertEquals("bob: hi", PlainDatagram.text(datagram));
        assertEquals(1, datagram.position());
        assertFalse(PlainDatagram.claimsToBeFrame(datagram));
        assertEquals(1, datagram.position());
    }
}
