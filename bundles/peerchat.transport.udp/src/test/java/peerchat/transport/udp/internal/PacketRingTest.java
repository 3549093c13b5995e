package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;

import org.junit.Test;

public class PacketRingTest {

    private static PacketRing.Packet packet(long seq) {
        return new PacketRing.Packet(seq, ByteBuffer.allocate(1), 0);
    }

    @Test
    public void findsPacketsBySeqWhileGrowingAndSliding() {
        PacketRing ring = new PacketRing();
        assertTrue(ring.isEmpty());
        assertNull(ring.get(1));
        long next = 1;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 37; i++) {
                ring.add(packet(next++));
            }
            for (int i = 0; i < 30; i++) {
                assertEquals(ring.first().seq, ring.removeFirst().seq);
            }
            long first = ring.first().seq;
            assertEquals(next - first, ring.size());
            for (long seq = first; seq < next; seq++) {
                assertEquals(seq, ring.get(seq).seq);
                assertEquals(seq, ring.at((int) (seq - first)).seq);
            }
            assertNull(ring.get(first - 1));
            assertNull(ring.get(next));
        }
    }

    @Test
    public void onlyTheNextSeqMayBeAdded() {
        PacketRing ring = new PacketRing();
        ring.add(packet(5));
        assertThrows(IllegalStateException.class, () -> ring.add(packet(7)));
        ring.add(packet(6));
        ring.clear();
        assertTrue(ring.isEmpty());
        ring.add(packet(100)); // after clear any seq starts it again
        assertEquals(100, ring.first().seq);
    }
}
