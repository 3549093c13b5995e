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
 * Used only by the selector thread.
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

    /** Writes as much as the socket takes now; true when nothing is left to write. */
    boolean flush() throws IOException {
        while (!outbox.isEmpty()) {
            ByteBuffer head = outbox.peek();
            int written = channel.write(head);
            queuedBytes -= written;
            if (head.hasRemaining()) {
                break;
            }
            outbox.poll();
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
