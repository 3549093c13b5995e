package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.time.Instant;

import org.junit.Test;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;

public class HistoryLineCodecTest {

    private static final ChatMessage MESSAGE = new ChatMessage(42, Instant.parse("2026-11-02T10:15:30.123Z"),
            "al\tice", "bob\n", "multi\nline\ttext \\ \uD83D\uDE80", true, DeliveryStatus.FAILED, "timed\nout");

    @Test
    public void encodesOneLineWithEightFields() {
        String line = HistoryLineCodec.encode(MESSAGE);

        assertFalse(line.contains("\n"));
        assertEquals("42\t2026-11-02T10:15:30.123Z\tout\tFAILED\tal\\tice\tbob\\n\ttimed\\nout\t"
                + "multi\\nline\\ttext \\\\ \uD83D\uDE80", line);
    }

    @Test
    public void decodesWhatItEncodes() {
        assertEquals(MESSAGE, HistoryLineCodec.decode(HistoryLineCodec.encode(MESSAGE)));
        ChatMessage incoming = new ChatMessage(1, Instant.EPOCH, "10.0.0.1:5", "me", "", false,
                DeliveryStatus.DELIVERED, "");
        assertEquals(incoming, HistoryLineCodec.decode(HistoryLineCodec.encode(incoming)));
    }

    @Test
    public void refusesMalformedLinesWithAReason() {
        assertEquals("expected 8 fields, found 3",
                assertThrows(IllegalArgumentException.class, () -> HistoryLineCodec.decode("1\t2\t3")).getMessage());
        assertEquals("bad id: x", decodeError("x\t2026-11-02T10:15:30Z\tin\tDELIVERED\ta\tb\t\tt"));
        assertEquals("bad time: yesterday", decodeError("1\tyesterday\tin\tDELIVERED\ta\tb\t\tt"));
        assertEquals("bad direction (in or out): up", decodeError("1\t2026-11-02T10:15:30Z\tup\tDELIVERED\ta\tb\t\tt"));
        assertEquals("bad status: LOST", decodeError("1\t2026-11-02T10:15:30Z\tin\tLOST\ta\tb\t\tt"));
        assertEquals("unknown escape \\q", decodeError("1\t2026-11-02T10:15:30Z\tin\tDELIVERED\ta\tb\t\t\\q"));
    }

    private static String decodeError(String line) {
        return assertThrows(IllegalArgumentException.class, () -> HistoryLineCodec.decode(line)).getMessage();
    }
}
