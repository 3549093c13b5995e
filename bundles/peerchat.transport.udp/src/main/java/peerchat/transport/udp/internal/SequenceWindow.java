package peerchat.transport.udp.internal;

import java.util.BitSet;

/**
 * The message ids already seen from one sender session, in bounded memory: every id up to
 * {@code base} counts as seen, and a bitset remembers the seen ids in the {@link #SIZE} ids above it.
 * An id beyond the window slides it forward and the skipped ids count as seen; this is safe because
 * a sender keeps fewer than {@code SIZE} messages unacknowledged (see {@link Outbox#MAX_IN_FLIGHT_PER_PEER}).
 * Not thread-safe.
 */
final class SequenceWindow {

    static final int SIZE = 1024;

    private long base;
    private BitSet above = new BitSet(SIZE);

    boolean contains(long id) {
        if (id <= base) {
            return true;
        }
        long offset = id - base - 1;
        return offset < SIZE && above.get((int) offset);
    }

    void add(long id) {
        if (id <= base) {
            return;
        }
        long offset = id - base - 1;
        if (offset >= SIZE) {
            slide(offset - SIZE + 1);
            offset = SIZE - 1;
        }
        above.set((int) offset);
        // Fold the now-contiguous prefix into base so the bitset stays small.
        int contiguous = above.nextClearBit(0);
        if (contiguous > 0) {
            slide(contiguous);
        }
    }

    /** The highest id below which every id counts as seen. */
    long base() {
        return base;
    }

    private void slide(long by) {
        above = by >= SIZE ? new BitSet(SIZE) : above.get((int) by, SIZE);
        base += by;
    }
}
