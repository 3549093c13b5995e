package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/** A bare datagram channel on 127.0.0.1, to inject hand-made datagrams and read raw replies. */
final class RawPeer implements AutoCloseable {

    private final DatagramChannel channel;
    private final Selector selector;

    RawPeer() throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    void send(byte[] datagram, InetSocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(datagram), to);
    }

    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        channel.send(datagram.duplicate(), to);
    }

    /** The next datagram's bytes, or null if none arrives within the timeout. */
    ByteBuffer receive(long timeoutMillis) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            if (channel.receive(buffer) != null) {
                return buffer.flip();
            }
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }

    /** The next datagram decoded, failing the test if none comes or it is malformed. */
    Frame receiveFrame(long timeoutMillis) throws IOException, MalformedFrameException {
        ByteBuffer datagram = receive(timeoutMillis);
        if (datagram == null) {
            throw new AssertionError("no datagram within " + timeoutMillis + " ms");
        }
        return FrameCodec.decode(datagram);
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
