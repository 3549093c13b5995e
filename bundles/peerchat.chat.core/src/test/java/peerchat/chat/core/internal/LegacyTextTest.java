package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class LegacyTextTest {

    @Test
    public void theOriginalPutsNameColonSpaceInFront() {
        assertEquals("alice: hello", LegacyText.line("alice", "hello"));
    }

    @Test
    public void theSendersNameIsTakenOffAndTheTextTrimmed() {
        assertEquals("hi there", LegacyText.text("bob: hi there", "bob"));
        assertEquals("hi there", LegacyText.text("  Bob:   hi there \r\n", "bob"));
        assertEquals("a: b", LegacyText.text("bob: a: b", "bob"));
        assertEquals("", LegacyText.text("bob: ", "bob"));
        assertEquals("", LegacyText.text("bob:", "bob"));
    }

    @Test
    public void anotherNameOrNoSeparatorStaysInTheText() {
        assertEquals("carol: hi", LegacyText.text("carol: hi", "bob"));
        assertEquals("bobby: hi", LegacyText.text("bobby: hi", "bob"));
        assertEquals("bob:)", LegacyText.text("bob:)", "bob"));
        assertEquals("just text", LegacyText.text(" just text ", "bob"));
        assertEquals("bo", LegacyText.text("bo", "bob"));
    }
}
