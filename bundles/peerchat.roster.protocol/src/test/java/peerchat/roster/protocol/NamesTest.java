package peerchat.roster.protocol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class NamesTest {

    @Test
    public void lettersDigitsDotUnderscoreDashAreValid() {
        assertTrue(Names.isValid("a"));
        assertTrue(Names.isValid("Alice.B_2-x"));
        assertTrue(Names.isValid("x".repeat(32)));
    }

    @Test
    public void emptyLongOrOddNamesAreInvalid() {
        assertFalse(Names.isValid(null));
        assertFalse(Names.isValid(""));
        assertFalse(Names.isValid("x".repeat(33)));
        assertFalse(Names.isValid("bob smith"));
        assertFalse(Names.isValid("bob:1"));
        assertFalse(Names.isValid("bob!"));
        assertFalse(Names.isValid("zoë"));
        assertFalse(Names.isValid("a\nb"));
    }

    @Test
    public void keyIgnoresCase() {
        assertEquals(Names.key("alice"), Names.key("ALICE"));
    }

    @Test
    public void quoteEscapesControlCharactersAndCutsLongNames() {
        assertEquals("'a\\u000ab'", Names.quote("a\nb"));
        assertEquals("'" + "y".repeat(40) + "...'", Names.quote("y".repeat(100)));
    }
}
