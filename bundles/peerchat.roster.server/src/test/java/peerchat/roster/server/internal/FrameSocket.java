package peerchat.roster.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;

import peerchat.roster.protocol.ErrorCode;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameDecoder;
import peerchat.roster.protocol.FrameEncoder;

/** A hand-driven protocol client for tests: send frames or raw bytes, read frames with a timeout. */
final class FrameSocket implements Closeable {

    private static final int TIMEOUT_MILLIS = 5000;

    private final Socket socket = new Socket();
    private final FrameEncoder encoder = new FrameEncoder();
    private final FrameDecoder decoder = new FrameDecoder();
    private final byte[] buffer = new byte[8192];
    private ByteBuffer unread = ByteBuffer.allocate(0);

    FrameSocket(int port) throws IOException {
        this(port, 0);
    }

    /** With a receive buffer of this size (0: the system's), set before connecting so it sticks. */
    FrameSocket(int port, int receiveBufferBytes) throws IOException {
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
    }

    void send(Frame frame) throws IOException {
        sendRaw(encoder.encodeToArray(frame));
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Logs in and returns the (single-frame) snapshot. */
    Frame.Snapshot login(String name, int udpPort) throws IOException {
        return login(new Frame.Hello(name, udpPort));
    }

    Frame.Snapshot login(Frame.Hello hello) throws IOException {
        send(hello);
        return expect(Frame.Snapshot.class);
    }

    /** The next frame; null at end of stream; fails the test after 5 s without one. */
    Frame next() throws IOException {
        InputStream in = socket.getInputStream();
        while (true) {
            Frame frame = decoder.decode(unread);
            if (frame != null) {
                return frame;
            }
            int n = in.read(buffer);
            if (n < 0) {
                return null;
            }
            unread = ByteBuffer.wrap(buffer, 0, n);
        }
    }

    <T extends Frame> T expect(Class<T> type) throws IOException {
        Frame frame = next();
        if (!type.isInstance(frame)) {
            fail("expected " + type.getSimpleName() + " but got " + frame);
        }
        return type.cast(frame);
    }

    /** Expects an ERROR frame with this code, then the end of the stream. */
    Frame.Error expectErrorAndClose(ErrorCode code) throws IOException {
        Frame.Error error = expect(Frame.Error.class);
        assertEquals(error.message(), code, error.code());
        expectEnd();
        return error;
    }

    /** Expects the server to close the connection (a reset counts too) with no frame before. */
    void expectEnd() throws IOException {
        try {
            Frame frame = next();
            if (frame != null) {
                fail("expected the connection to end but got " + frame);
            }
        } catch (SocketException reset) {
            assertTrue(reset.getMessage(), reset.getMessage().toLowerCase().contains("reset"));
        }
    }

    /** The raw input, e.g. to drain it from another thread. */
    InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
