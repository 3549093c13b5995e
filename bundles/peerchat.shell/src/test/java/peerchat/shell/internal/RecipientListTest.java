package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;

import org.junit.Test;

public class RecipientListTest {

    @Test
    public void oneOrManyNamesInTheOrderGiven() {
        assertEquals(List.of("bob"), RecipientList.parse("bob"));
        assertEquals(List.of("carol", "bob", "dave"), RecipientList.parse("carol,bob, dave "));
    }

    @Test
    public void duplicatesIgnoringCaseAreSentOnce() {
        assertEquals(List.of("bob", "carol"), RecipientList.parse("bob,carol,BOB"));
    }

    @Test
    public void emptyNamesAreRefused() {
        assertEquals("empty name in recipient list: bob,,carol",
                assertThrows(IllegalArgumentException.class, () -> RecipientList.parse("bob,,carol")).getMessage());
        assertEquals("empty name in recipient list: bob,",
                assertThrows(IllegalArgumentException.class, () -> RecipientList.parse("bob,")).getMessage());
        assertEquals("no recipient given",
                assertThrows(IllegalArgumentException.class, () -> RecipientList.parse(" ")).getMessage());
    }
}
