package peerchat.transport.udp.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The packets of a send stream that are sent and not yet cumulatively acknowledged, in sequence
 * order without gaps, with O(1) lookup by sequence number. Grows as needed; not thread-safe.
 */
final class PacketRing {

    /** One transmitted DATA datagram, kept for retransmission until cumulatively acknowledged. */
    static final class Packet {
        final long seq;
        final ByteBuffer datagram;
        final long firstSentNanos;
        long lastSentNanos;
        int transmissions;
        /** Selectively acknowledged (a cumulative ack removes it from the ring). */
        boolean acked;

        Packet(long seq, ByteBuffer datagram, long now) {
            this.seq = seq;
            this.datagram = datagram;
            this.firstSentNanos = now;
            this.lastSentNanos = now;
        }
    }

    private Packet[] slots = new Packet[16];
    private int head;
    private int size;
    private long firstSeq;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends the packet that directly follows the last one. */
    void add(Packet packet) {
        if (size == 0) {
            firstSeq = packet.seq;
        } else if (packet.seq != firstSeq + size) {
            throw new IllegalStateException("packet " + packet.seq + " does not follow " + (firstSeq + size - 1));
        }
        if (size == slots.length) {
            Packet[] grown = new Packet[slots.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = slots[(head + i) & (slots.length - 1)];
            }
            slots = grown;
            head = 0;
        }
        slots[(head + size) & (slots.length - 1)] = packet;
        size++;
    }

    /** The packet with this seq, or null if it is not (or no longer) in the ring. */
    Packet get(long seq) {
        long index = seq - firstSeq;
        if (size == 0 || index < 0 || index >= size) {
            return null;
        }
        return slots[(int) ((head + index) & (slots.length - 1))];
    }

    Packet first() {
        return size == 0 ? null : slots[head];
    }

    /** The i-th packet from the oldest (0-based). */
    Packet at(int i) {
        return slots[(head + i) & (slots.length - 1)];
    }

    Packet removeFirst() {
        Packet packet = slots[head];
        slots[head] = null;
        head = (head + 1) & (slots.length - 1);
        size--;
        firstSeq++;
        return packet;
    }

    void clear() {
        Arrays.fill(slots, null);
        head = 0;
        size = 0;
    }
}
