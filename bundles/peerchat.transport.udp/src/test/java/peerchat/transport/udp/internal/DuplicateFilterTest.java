package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class DuplicateFilterTest {

    private static final InetSocketAddress ALICE = new InetSocketAddress("127.0.0.1", 4001);
    private static final InetSocketAddress BOB = new InetSocketAddress("127.0.0.1", 4002);

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final DuplicateFilter filter = new DuplicateFilter(nanos::get, 60_000, 3);

    @Test
    public void acceptedIdsAreDuplicatesOthersAreNot() {
        assertFalse(filter.isDuplicate(ALICE, 7, 1));
        filter.markAccepted(ALICE, 7, 1);
        assertTrue(filter.isDuplicate(ALICE, 7, 1));
        assertFalse(filter.isDuplicate(ALICE, 7, 2));
    }

    @Test
    public void checkingDoesNotAccept() {
        assertFalse(filter.isDuplicate(ALICE, 7, 1));
        assertFalse(filter.isDuplicate(ALICE, 7, 1));
        assertEquals(0, filter.trackedSenders());
    }

    @Test
    public void sourceAndSessionBothIdentifyTheSender() {
        filter.markAccepted(ALICE, 7, 1);
        assertFalse("another address", filter.isDuplicate(BOB, 7, 1));
        assertFalse("a restarted peer has a new session", filter.isDuplicate(ALICE, 8, 1));
    }

    @Test
    public void idleSendersAreForgotten() {
        filter.markAccepted(ALICE, 7, 1);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(30));
        filter.markAccepted(BOB, 9, 1);
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(31)); // Alice idle 61 s, Bob 31 s
        assertTrue("Bob still known", filter.isDuplicate(BOB, 9, 1));
        assertFalse("Alice forgotten", filter.isDuplicate(ALICE, 7, 1));
        assertEquals(1, filter.trackedSenders());
        assertEquals(1, filter.evictedSenders());
    }

    @Test
    public void hearingFromASenderKeepsItAlive() {
        filter.markAccepted(ALICE, 7, 1);
        for (int i = 0; i < 5; i++) {
            nanos.addAndGet(TimeUnit.SECONDS.toNanos(40));
            assertTrue(filter.isDuplicate(ALICE, 7, 1));
        }
        assertEquals(0, filter.evictedSenders());
    }

    @Test
    public void theLeastRecentlyHeardSenderMakesRoomBeyondTheLimit() {
        for (int session = 1; session <= 3; session++) {
            filter.markAccepted(ALICE, session, 1);
        }
        assertTrue(filter.isDuplicate(ALICE, 1, 1)); // session 1 heard again: session 2 is now eldest
        filter.markAccepted(ALICE, 4, 1);
        assertEquals(3, filter.trackedSenders());
        assertFalse(filter.isDuplicate(ALICE, 2, 1));
        assertTrue(filter.isDuplicate(ALICE, 1, 1));
        assertTrue(filter.isDuplicate(ALICE, 3, 1));
        assertTrue(filter.isDuplicate(ALICE, 4, 1));
    }
}
