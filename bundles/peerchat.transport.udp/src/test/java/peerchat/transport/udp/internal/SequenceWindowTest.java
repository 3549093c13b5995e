package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class SequenceWindowTest {

    private final SequenceWindow window = new SequenceWindow();

    @Test
    public void inOrderIdsFoldIntoTheBase() {
        for (long id = 1; id <= 5000; id++) {
            assertFalse(window.contains(id));
            window.add(id);
            assertTrue(window.contains(id));
        }
        assertEquals(5000, window.base());
        assertFalse(window.contains(5001));
    }

    @Test
    public void outOfOrderIdsAreRememberedUntilTheGapFills() {
        window.add(3);
        window.add(2);
        assertEquals(0, window.base());
        assertFalse(window.contains(1));
        assertTrue(window.contains(2));
        assertTrue(window.contains(3));
        window.add(1);
        assertEquals(3, window.base());
        assertFalse(window.contains(4));
    }

    @Test
    public void addingTwiceChangesNothing() {
        window.add(1);
        window.add(5);
        window.add(5);
        window.add(1);
        assertEquals(1, window.base());
        assertTrue(window.contains(5));
        assertFalse(window.contains(4));
    }

    @Test
    public void anIdBeyondTheWindowSlidesItAndOlderIdsCountAsSeen() {
        window.add(2);
        long far = 2 + SequenceWindow.SIZE + 10;
        window.add(far);
        assertEquals(far - SequenceWindow.SIZE, window.base());
        assertTrue("slid past, so counted as seen", window.contains(1));
        assertTrue(window.contains(far));
        assertFalse(window.contains(far - 1));
        assertFalse(window.contains(far + 1));
    }

    @Test
    public void hugeIdsDoNotOverflow() {
        window.add(Long.MAX_VALUE);
        assertTrue(window.contains(Long.MAX_VALUE));
        assertFalse(window.contains(Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE - SequenceWindow.SIZE, window.base());
    }
}
