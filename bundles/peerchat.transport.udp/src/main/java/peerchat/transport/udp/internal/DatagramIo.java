package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The engine's only contact with the network, so tests can put a simulated lossy network between
 * two engines. Implementations must allow {@link #send} from any thread while one thread receives,
 * and {@link #close} must wake that thread.
 */
interface DatagramIo extends AutoCloseable {

    /**
     * Sends the bytes between position and limit as one datagram. Like the network itself it may
     * drop the datagram silently (e.g. when the socket's send buffer is full).
     */
    void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;

    /**
     * Blocks until a datagram arrives, writes it into {@code into} and returns its source; throws
     * {@link java.nio.channels.ClosedChannelException} (or a subclass) once closed.
     */
    InetSocketAddress receive(ByteBuffer into) throws IOException;

    /** Like {@link #receive} but returns null at once when no datagram is waiting. */
    InetSocketAddress poll(ByteBuffer into) throws IOException;

    InetSocketAddress localAddress();

    @Override
    void close() throws IOException;
}
