package peerchat.ui.chat.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.junit.Test;

public class CommandCompletionTest {

    private static final Map<String, String> COMMANDS = new TreeMap<>(Map.of(
            "me", "/me ACTION - tell what you do",
            "shrug", "/shrug [TEXT] - add a shrug",
            "shout", "/shout TEXT - in capitals"));

    @Test
    public void aSingleMatchCompletesWithASpace() {
        assertEquals(Optional.of("/me "), CommandCompletion.complete("/m", COMMANDS));
        assertEquals(Optional.of("/shrug "), CommandCompletion.complete("/SHR", COMMANDS));
    }

    @Test
    public void severalMatchesCompleteTheCommonPrefix() {
        assertEquals(Optional.of("/sh"), CommandCompletion.complete("/s", COMMANDS));
        assertEquals(Optional.empty(), CommandCompletion.complete("/sh", COMMANDS));
    }

    @Test
    public void textThatIsNoCommandPrefixIsLeftAlone() {
        assertEquals(Optional.empty(), CommandCompletion.complete("hello", COMMANDS));
        assertEquals(Optional.empty(), CommandCompletion.complete("//me", COMMANDS));
        assertEquals(Optional.empty(), CommandCompletion.complete("/me waves", COMMANDS));
        assertEquals(Optional.empty(), CommandCompletion.complete("/x", COMMANDS));
    }

    @Test
    public void hintsListTheMatchingHelp() {
        assertEquals(List.of("/me ACTION - tell what you do", "/shout TEXT - in capitals", "/shrug [TEXT] - add a shrug"),
                CommandCompletion.hints("/", COMMANDS));
        assertEquals(List.of("/shout TEXT - in capitals", "/shrug [TEXT] - add a shrug"),
                CommandCompletion.hints("/sh", COMMANDS));
        assertEquals(List.of(), CommandCompletion.hints("/me waves", COMMANDS));
    }
}
