package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The engine's only contact with the network, so tests (and a later simulated lossy network) can
 * stand between two engines. Implementations must allow {@link #send} from any thread while one
 * thread blocks in {@link #receive}, and {@link #close} must wake that thread.
 */
interface DatagramIo extends AutoCloseable {

    /** Sends the bytes between position and limit as one datagram. */
    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;

    /**
     * Blocks until a datagram arrives, writes it into {@code into} and returns its source; throws
     * {@link java.nio.channels.ClosedChannelException} (or a subclass) once closed.
     */
    InetSocketAddress receive(ByteBuffer into) throws IOException;

    InetSocketAddress localAddress();

    @Override
    void close() throws IOException;
}
