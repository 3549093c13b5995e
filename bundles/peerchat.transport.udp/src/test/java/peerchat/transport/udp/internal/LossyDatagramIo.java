package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Wraps a real channel and silently drops the outgoing datagrams a rule picks, as a lossy network
 * would. The rule sees each datagram (position at its start) and is called on the sending thread.
 */
final class LossyDatagramIo implements DatagramIo {

    private final DatagramIo delegate;
    private final Predicate<ByteBuffer> drop;
    final AtomicInteger dropped = new AtomicInteger();

    LossyDatagramIo(DatagramIo delegate, Predicate<ByteBuffer> drop) {
        this.delegate = delegate;
        this.drop = drop;
    }

    /** Drops the first {@code n} datagrams of the given type. */
    static Predicate<ByteBuffer> firstOfType(FrameType type, int n) {
        AtomicInteger seen = new AtomicInteger();
        return datagram -> typeOf(datagram) == type.code && seen.incrementAndGet() <= n;
    }

    /** Drops the 1st, 3rd, 5th ... datagram of the given type. */
    static Predicate<ByteBuffer> everyOtherOfType(FrameType type) {
        AtomicInteger seen = new AtomicInteger();
        return datagram -> typeOf(datagram) == type.code && seen.incrementAndGet() % 2 == 1;
    }

    private static int typeOf(ByteBuffer datagram) {
        return datagram.remaining() > 3 ? datagram.get(datagram.position() + 3) & 0xFF : -1;
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        if (drop.test(datagram)) {
            dropped.incrementAndGet();
            return;
        }
        delegate.send(datagram, to);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        return delegate.receive(into);
    }

    @Override
    public InetSocketAddress poll(ByteBuffer into) throws IOException {
        return delegate.poll(into);
    }

    @Override
    public InetSocketAddress localAddress() {
        return delegate.localAddress();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
