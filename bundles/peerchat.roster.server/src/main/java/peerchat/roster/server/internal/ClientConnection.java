package peerchat.roster.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import peerchat.roster.protocol.FrameDecoder;
import peerchat.roster.protocol.WireEntry;

/**
 * One TCP connection on the server: its decoder (which keeps a partly received frame), its
 * bounded queue of encoded frames still to be written, and where it is in the conversation.
 * Queued buffers are often shared with other connections (read-only views of one encoded batch):
 * only their positions are this connection's own. Used only by the selector thread.
 */
final class ClientConnection {

    enum State {
        /** Connected, waiting for HELLO. */
        HANDSHAKE,
        /** Logged in: in the roster, receives updates. */
        MEMBER,
        /** An ERROR (or BYE) is being flushed; input is read and discarded until the peer closes. */
        CLOSING,
        CLOSED
    }

    final SocketChannel channel;
    final String remoteHost;
    /** The TCP source port: a legacy client's UDP port (it binds both to the same number). */
    int remotePort;
    /** True once the first byte showed the legacy text dialect ({@code login-NAME} lines). */
    boolean legacy;
    /** The first byte has been seen, so the dialect is known. */
    boolean dialectKnown;
    /** Legacy only: the bytes of a line still missing its '\n'. */
    java.io.ByteArrayOutputStream partialLine;
    final FrameDecoder decoder = new FrameDecoder();
    private final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
    private final int maxQueuedBytes;
    private int queuedBytes;
    private SelectionKey key;

    State state = State.HANDSHAKE;
    /** Set once logged in. */
    WireEntry entry;
    /** When a HANDSHAKE or CLOSING connection is given up (System.nanoTime). */
    long deadlineNanos;
    /** Output already shut down after the final frame (CLOSING only). */
    boolean outputShut;
    /** When bytes last arrived (System.nanoTime): heartbeats and timeouts. */
    long lastReadNanos;
    /** The server sent a PING to this silent client and has heard nothing since. */
    boolean pingOutstanding;
    /** Request rate limit: a token bucket, refilled as time passes. */
    double tokens;
    long tokensRefilledNanos;
    /** Counted in the per-IP and total connection limits until it starts closing. */
    boolean counted;
    /**
     * A member that gets no deltas until it has a (fresh) snapshot: it logged in during the current
     * tick, or its queue overflowed and its queued updates were dropped.
     */
    boolean needsSnapshot;
    /** In the server's list of members waiting for the next tick's snapshot. */
    boolean snapshotScheduled;
    /** Its queue overflowed (slow reader) at this time (System.nanoTime); 0 when it has caught up. */
    long laggingSinceNanos;
    /** It changed its presence before its snapshot went out: confirm with a PRESENCE_CHANGED after it. */
    boolean confirmPresence;

    ClientConnection(SocketChannel channel, String remoteHost, int maxQueuedBytes) {
        this.channel = channel;
        this.remoteHost = remoteHost;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    void attach(SelectionKey selectionKey) {
        this.key = selectionKey;
    }

    /**
     * Queues an encoded frame. Returns false (and queues nothing) when the queue is full: the peer
     * is not reading and must be dropped. {@code force} ignores the limit, for the final frame.
     */
    boolean enqueue(ByteBuffer frame, boolean force) {
        if (!force && queuedBytes + frame.remaining() > maxQueuedBytes) {
            return false;
        }
        outbox.add(frame);
        queuedBytes += frame.remaining();
        return true;
    }

    /** True when {@code bytes} more would not fit the queue limit. */
    boolean wouldOverflow(int bytes) {
        return queuedBytes + bytes > maxQueuedBytes;
    }

    /**
     * Drops every queued frame that has not started going out (a frame half written stays, so the
     * stream stays in step); returns the bytes dropped.
     */
    int dropUnsent() {
        ByteBuffer head = outbox.peek();
        boolean keepHead = head != null && head.position() > 0 && head.hasRemaining();
        int before = queuedBytes;
        outbox.clear();
        queuedBytes = 0;
        if (keepHead) {
            outbox.add(head);
            queuedBytes = head.remaining();
        }
        updateInterest();
        return before - queuedBytes;
    }

    /**
     * Writes as much as the socket takes now, several queued frames in one gathering write;
     * true when nothing is left to write.
     */
    boolean flush() throws IOException {
        while (!outbox.isEmpty()) {
            long written;
            if (outbox.size() == 1) {
                written = channel.write(outbox.peek());
            } else {
                written = channel.write(outbox.toArray(new ByteBuffer[Math.min(outbox.size(), 64)]), 0,
                        Math.min(outbox.size(), 64));
            }
            queuedBytes -= (int) written;
            while (!outbox.isEmpty() && !outbox.peek().hasRemaining()) {
                outbox.poll();
            }
            if (written == 0 || !outbox.isEmpty() && outbox.peek().position() > 0) {
                break; // the socket is full
            }
        }
        updateInterest();
        return outbox.isEmpty();
    }

    boolean hasPendingOutput() {
        return !outbox.isEmpty();
    }

    /** Reads while not closed, writes while something is queued. */
    void updateInterest() {
        if (key != null && key.isValid()) {
            int ops = SelectionKey.OP_READ;
            if (!outbox.isEmpty()) {
                ops |= SelectionKey.OP_WRITE;
            }
            key.interestOps(ops);
        }
    }

    /** Who this is, for log messages. */
    String describe() {
        return entry == null ? remoteHost : entry.name() + " (" + remoteHost + ")";
    }

    void close() {
        state = State.CLOSED;
        outbox.clear();
        queuedBytes = 0;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing a socket that already failed: nothing left to release or report
        }
    }
}
