package peerchat.benchmarks.roster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameDecoder;
import peerchat.roster.protocol.FrameEncoder;
import peerchat.roster.protocol.ProtocolException;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.log.Log;
import peerchat.roster.server.internal.RosterServerEngine;
import peerchat.roster.server.internal.ServerSettings;

/**
 * The server side of the roster benchmark, in a JVM of its own (so that its heap can be measured
 * alone, and so that neither process needs more than 10,000 sockets under the 20,000 descriptor
 * limit). {@code roster N}: the real {@link RosterServerEngine}; {@code bare NET N}: a minimal NIO
 * server that writes the same bytes. Prints {@code PORT p}, then answers commands on stdin:
 * {@code heap} (prints {@code HEAP bytes} after GC), {@code counters}, {@code stop}.
 */
public final class RosterServerProcess {

    private RosterServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Runnable stop;
        java.util.function.Supplier<String> counters;
        if (mode.equals("roster")) {
            // limits for a load test from one machine: no per-IP limit, room for every client
            ServerSettings settings = ServerSettings.DEFAULTS.withConnectionLimits(0, 0);
            RosterServerEngine engine = new RosterServerEngine(new QuietLog(), settings);
            int port = engine.start("127.0.0.1", 0).address().port();
            System.out.println("PORT " + port);
            stop = engine::stop;
            counters = () -> {
                long[] c = engine.batchCounters();
                return "COUNTERS " + c[0] + " " + c[1] + " " + c[2] + " " + engine.info().framesOut();
            };
        } else {
            BareServer bare = new BareServer(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            System.out.println("PORT " + bare.port());
            Thread thread = new Thread(bare, "bare-server");
            thread.setDaemon(true);
            thread.start();
            stop = bare::stop;
            counters = () -> "COUNTERS 0 0 0 " + bare.framesOut;
        }
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) {
            switch (command.trim()) {
                case "heap" -> System.out.println("HEAP " + heapAfterGc());
                case "counters" -> System.out.println(counters.get());
                case "stop" -> {
                    stop.run();
                    System.out.println("STOPPED");
                    System.out.flush();
                    System.exit(0);
                }
                default -> System.out.println("UNKNOWN " + command);
            }
            System.out.flush();
        }
        stop.run();
    }

    static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** Warnings and errors only: the benchmark measures the server, not its log. */
    private static final class QuietLog implements Log {
        @Override
        public void debug(String message) {
            // not recorded
        }

        @Override
        public void info(String message) {
            // not recorded
        }

        @Override
        public void warn(String message) {
            System.err.println("WARN " + message);
        }

        @Override
        public void error(String message, Throwable cause) {
            System.err.println("ERROR " + message + ": " + cause);
        }
    }

    /**
     * The baseline: accepts, answers each HELLO with the complete final roster (the bytes a client
     * ends up holding, encoded once) and relays each SET_PRESENCE as the PRESENCE_CHANGED the roster
     * server would send, encoded once, to every connection. No roster, no names, no limits, no ticks.
     */
    static final class BareServer implements Runnable {
        private final ServerSocketChannel listener;
        private final Selector selector;
        private final FrameEncoder encoder = new FrameEncoder();
        private final ByteBuffer finalRoster;
        private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
        private final List<Conn> connections = new ArrayList<>();
        private volatile boolean stopped;
        volatile long framesOut;

        private static final class Conn {
            final SocketChannel channel;
            final FrameDecoder decoder = new FrameDecoder();
            final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
            SelectionKey key;
            WireEntry entry;

            Conn(SocketChannel channel) {
                this.channel = channel;
            }
        }

        BareServer(int net, int n) throws IOException {
            List<Frame.Snapshot> parts = encoder.snapshotFrames(LoadPlan.roster(net, n));
            int size = 0;
            List<ByteBuffer> encoded = new ArrayList<>();
            for (Frame.Snapshot part : parts) {
                ByteBuffer bytes = encoder.encode(part);
                size += bytes.remaining();
                encoded.add(bytes);
            }
            ByteBuffer all = ByteBuffer.allocateDirect(size);
            encoded.forEach(all::put);
            finalRoster = all.flip().asReadOnlyBuffer();
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress("127.0.0.1", 0), 4096); // as the roster server
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        }

        int port() throws IOException {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        }

        void stop() {
            stopped = true;
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    selector.select(250);
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isAcceptable()) {
                            accept();
                        } else {
                            Conn conn = (Conn) key.attachment();
                            try {
                                if (key.isReadable()) {
                                    read(conn);
                                }
                                if (key.isValid() && key.isWritable()) {
                                    flush(conn);
                                }
                            } catch (IOException e) {
                                key.cancel();
                                conn.channel.close();
                            }
                        }
                        if (System.nanoTime() - lastAccept > 5_000_000) {
                            accept(); // as the roster server: a busy loop must not overflow the accept queue
                        }
                    }
                }
                for (Conn conn : connections) {
                    conn.channel.close();
                }
                selector.close();
                listener.close();
            } catch (IOException e) {
                System.err.println("ERROR bare server: " + e);
            }
        }

        private long lastAccept;

        private void accept() throws IOException {
            lastAccept = System.nanoTime();
            SocketChannel channel;
            while ((channel = listener.accept()) != null) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Conn conn = new Conn(channel);
                conn.key = channel.register(selector, SelectionKey.OP_READ, conn);
                connections.add(conn);
            }
        }

        private void read(Conn conn) throws IOException {
            readBuffer.clear();
            if (conn.channel.read(readBuffer) < 0) {
                conn.key.cancel();
                conn.channel.close();
                return;
            }
            readBuffer.flip();
            try {
                Frame frame;
                while ((frame = conn.decoder.decode(readBuffer)) != null) {
                    switch (frame) {
                        case Frame.Hello hello -> {
                            String host = ((InetSocketAddress) conn.channel.getRemoteAddress()).getAddress()
                                    .getHostAddress();
                            conn.entry = WireEntry.online(hello.name(), host, hello.udpPort());
                            send(conn, finalRoster);
                            framesOut += 1;
                        }
                        case Frame.SetPresence set -> {
                            WireEntry old = conn.entry;
                            ByteBuffer changed = encoder.encode(new Frame.PresenceChanged(new WireEntry(old.name(),
                                    old.host(), old.udpPort(), set.presence(), set.status(), false)));
                            ByteBuffer shared = ByteBuffer.allocateDirect(changed.remaining()).put(changed).flip()
                                    .asReadOnlyBuffer();
                            for (Conn each : connections) {
                                if (each.channel.isOpen()) {
                                    send(each, shared);
                                }
                            }
                            framesOut += connections.size();
                        }
                        case Frame.Ping ping -> send(conn, encoder.encode(new Frame.Pong(ping.token())));
                        default -> {
                            // nothing else matters to the baseline
                        }
                    }
                }
            } catch (ProtocolException e) {
                conn.key.cancel();
                conn.channel.close();
            }
        }

        private void send(Conn conn, ByteBuffer shared) throws IOException {
            conn.outbox.add(shared.duplicate());
            flush(conn);
        }

        private void flush(Conn conn) throws IOException {
            while (!conn.outbox.isEmpty()) {
                ByteBuffer head = conn.outbox.peek();
                conn.channel.write(head);
                if (head.hasRemaining()) {
                    break;
                }
                conn.outbox.poll();
            }
            conn.key.interestOps(conn.outbox.isEmpty() ? SelectionKey.OP_READ
                    : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }
}
