package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A stranger for tests: floods a peer with DATA datagrams of the reliable protocol (valid frames,
 * built with the transport's own codec), big messages from several source ports, as fast as the
 * socket takes them and deaf to every ACK. In this package for the codec's package-private methods.
 */
public final class DatagramFlood {

    private DatagramFlood() {
    }

    /**
     * Sends {@code messages} messages of {@code messageBytes} each, spread round-robin over
     * {@code sources} source ports; returns the datagrams sent.
     */
    public static long send(InetSocketAddress to, int sources, int messages, int messageBytes, long seed)
            throws IOException {
        Random random = new Random(seed);
        int perChunk = FrameCodec.MAX_PAYLOAD - FrameCodec.CHUNK_HEADER;
        byte[] text = new byte[perChunk];
        Arrays.fill(text, (byte) 'x');
        List<DatagramChannel> channels = new ArrayList<>();
        int[] sessions = new int[sources];
        int[] incarnations = new int[sources];
        long[] seqs = new long[sources];
        long datagrams = 0;
        try {
            for (int s = 0; s < sources; s++) {
                channels.add(DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0)));
                sessions[s] = random.nextInt(Integer.MAX_VALUE - 1) + 1;
                incarnations[s] = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            }
            int chunks = (messageBytes + perChunk - 1) / perChunk;
            for (int m = 0; m < messages; m++) {
                int s = m % sources;
                for (int c = 0; c < chunks; c++) {
                    int flags = (c == 0 ? FrameCodec.CHUNK_FIRST : 0) | (c == chunks - 1 ? FrameCodec.CHUNK_LAST : 0);
                    int length = c == chunks - 1 ? messageBytes - c * perChunk : perChunk;
                    ByteBuffer data = FrameCodec.startData(sessions[s], incarnations[s], ++seqs[s]);
                    FrameCodec.putChunk(data, flags, text, 0, length);
                    channels.get(s).send(data.flip(), to);
                    datagrams++;
                }
            }
        } finally {
            for (DatagramChannel channel : channels) {
                channel.close();
            }
        }
        return datagrams;
    }
}
