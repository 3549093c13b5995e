package peerchat.roster.client.internal;

import static org.junit.Assert.fail;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

import peerchat.api.dto.PeerAddress;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameDecoder;
import peerchat.roster.protocol.FrameEncoder;

/** A scripted roster server on 127.0.0.1: the test accepts, reads and answers frames by hand. */
final class FakeServer implements Closeable {

    private static final int TIMEOUT_MILLIS = 5000;

    private final ServerSocket listener;

    FakeServer() throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        listener.setSoTimeout(TIMEOUT_MILLIS);
    }

    PeerAddress address() {
        return new PeerAddress("127.0.0.1", listener.getLocalPort());
    }

    /** The next client connection; fails the test after 5 s without one. */
    Peer accept() throws IOException {
        Socket socket = listener.accept();
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return new Peer(socket);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    static final class Peer implements Closeable {
        private final Socket socket;
        private final FrameEncoder encoder = new FrameEncoder();
        private final FrameDecoder decoder = new FrameDecoder();
        private final byte[] buffer = new byte[8192];
        private ByteBuffer unread = ByteBuffer.allocate(0);

        Peer(Socket socket) {
            this.socket = socket;
        }

        void send(Frame... frames) throws IOException {
            for (Frame frame : frames) {
                socket.getOutputStream().write(encoder.encodeToArray(frame));
            }
            socket.getOutputStream().flush();
        }

        void sendRaw(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }

        /** The next frame from the client; null when it closed. */
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

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
