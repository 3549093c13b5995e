package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * {@link DatagramIo} over an NIO {@link DatagramChannel}. The one receiving thread switches the
 * channel to blocking mode to wait ({@link #receive}) and to non-blocking mode to drain
 * ({@link #poll}); a blocking receive wakes faster than a selector. A send that finds the socket
 * buffer full in non-blocking mode drops the datagram, as a full router queue would.
 */
final class NioDatagramIo implements DatagramIo {

    /** Room for bursts while the receive thread is busy; the kernel may grant less. */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final int SEND_BUFFER_BYTES = 1 << 20;

    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    /** Receiving thread only. */
    private boolean blocking = true;

    private NioDatagramIo(DatagramChannel channel, InetSocketAddress localAddress) {
        this.channel = channel;
        this.localAddress = localAddress;
    }

    /**
     * Binds a channel to {@code host:port} (port 0 = any free port).
     *
     * @throws IOException whose message reads like "cannot bind UDP 0.0.0.0:6001: address already in use"
     */
    static NioDatagramIo bind(String host, int port) throws IOException {
        String where = "UDP " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        if (port < 0 || port > 65535) {
            throw new IOException("cannot bind " + where + ": port out of range 0..65535");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IOException("cannot bind " + where + ": unknown host " + host, e);
        }
        // One address family, chosen by the bind address: 0.0.0.0 gives a plain IPv4 socket.
        DatagramChannel channel = DatagramChannel.open(
                address instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
            channel.bind(new InetSocketAddress(address, port));
            SocketAddress bound = channel.getLocalAddress();
            return new NioDatagramIo(channel, (InetSocketAddress) bound);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            throw new IOException("cannot bind " + where + ": " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        if (e instanceof BindException && message != null && message.toLowerCase().contains("in use")) {
            return "address already in use";
        }
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static void closeQuietly(DatagramChannel channel, Exception cause) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    @Override
    public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
        channel.send(datagram, to);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        if (!blocking) {
            channel.configureBlocking(true);
            blocking = true;
        }
        return (InetSocketAddress) channel.receive(into);
    }

    @Override
    public InetSocketAddress poll(ByteBuffer into) throws IOException {
        if (blocking) {
            channel.configureBlocking(false);
            blocking = false;
        }
        return (InetSocketAddress) channel.receive(into);
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void close() throws IOException {
        channel.close(); // wakes a thread waiting in receive (AsynchronousCloseException)
    }
}
