package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

public class TextEscapingTest {

    @Test
    public void escapesSeparatorsAndBackslash() {
        assertEquals("a\\tb\\nc\\rd\\\\e", TextEscaping.escape("a\tb\nc\rd\\e"));
    }

    @Test
    public void keepsUnicodeAndEmojiAsTheyAre() {
        String text = "gr\u00fc\u00dfe \u4f60\u597d \uD83D\uDE00 \uD83D\uDC69\u200D\uD83D\uDCBB";
        assertEquals(text, TextEscaping.escape(text));
    }

    @Test
    public void codesOtherControlCharactersAndLoneSurrogates() {
        assertEquals("\\u0000\\u001b\\u007f", TextEscaping.escape("\u0000\u001b\u007f"));
        assertEquals("x\\ud83dy\\ude00", TextEscaping.escape("x\uD83Dy\uDE00"));
        assertEquals("\\ud83d", TextEscaping.escape("\uD83D"));
    }

    @Test
    public void unescapeReversesEscape() {
        String[] samples = { "", "plain", "\\", "\\\\n", "\t\n\r", "\u0000\uD83D", "\uDE00\uD83D\uDE00",
                "\\u0041 stays literal", "end\\" };
        for (String sample : samples) {
            assertEquals(sample, TextEscaping.unescape(TextEscaping.escape(sample)));
        }
    }

    @Test
    public void unescapeRefusesBrokenEscapes() {
        assertEquals("dangling backslash at the end of a field",
                assertThrows(IllegalArgumentException.class, () -> TextEscaping.unescape("abc\\")).getMessage());
        assertEquals("truncated \\u escape",
                assertThrows(IllegalArgumentException.class, () -> TextEscaping.unescape("\\u12")).getMessage());
        assertEquals("bad \\u escape: \\u12g4",
                assertThrows(IllegalArgumentException.class, () -> TextEscaping.unescape("\\u12g4")).getMessage());
    }
}
