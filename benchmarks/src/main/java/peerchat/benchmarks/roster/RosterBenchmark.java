package peerchat.benchmarks.roster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameDecoder;
import peerchat.roster.protocol.FrameEncoder;
import peerchat.roster.protocol.FrameType;
import peerchat.roster.protocol.ProtocolException;
import peerchat.roster.protocol.WireEntry;
import peerchat.roster.protocol.WirePresence;

/**
 * Load generator for the roster server: N protocol clients (default 10,000) simulated by one
 * thread with one selector, no framework per client. Measures, against the real server and then
 * against a bare NIO server that writes the same bytes (both in a child JVM, see
 * {@link RosterServerProcess}): the time until every client holds the complete roster, the latency
 * of one presence change to all clients (p50/p99), and the server's heap per connected client.
 *
 * <p>Clients follow the frames without building objects (length, type and the few header fields
 * that count: SNAPSHOT counts, JOINED/LEFT, PRESENCE_CHANGED arrival, PING answered with PONG);
 * three sample clients also run every byte through the protocol's {@link FrameDecoder} and check
 * their roster name by name at the end.
 *
 * <p>Usage: {@code RosterBenchmark [--clients N] [--rounds R] [--quick] [results-dir]}.
 */
public final class RosterBenchmark {

    private static final int MAX_CONNECTING = 256;
    private static final long JOIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long PRESENCE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Presence rounds run first and not counted (JIT, heap resizing after the GCs of the heap figure). */
    private static final int WARM_UP_ROUNDS = 2;

    private RosterBenchmark() {
    }

    /** What one run (one server kind) measured. */
    record Result(String server, int clients, int completed, double joinSeconds, double p50Millis,
            double p99Millis, double maxMillis, int presenceSamples, int presenceMissing, double heapPerClientKb,
            double mbReceivedPerClient, String counters, String check) {
    }

    public static void main(String[] args) throws Exception {
        int clients = 10_000;
        int rounds = 20;
        Path out = Path.of("target");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--quick" -> {
                    clients = 2_000;
                    rounds = 10;
                }
                default -> out = Path.of(args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "roster benchmark: %,d clients, %d presence rounds, %d cores, %s%n", clients,
                rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        Result roster = run("roster", 1, clients, rounds);
        Result bare = run("bare", 2, clients, rounds);
        String table = table(roster, bare);
        System.out.println();
        System.out.println(table);
        Files.createDirectories(out);
        Files.writeString(out.resolve("roster-results.md"), table);
        Files.writeString(out.resolve("roster-results.csv"), csv(roster, bare));
        System.out.println("written to " + out.resolve("roster-results.md") + " and roster-results.csv");
    }

    private static Result run(String kind, int net, int n, int rounds) throws Exception {
        System.out.printf(Locale.ROOT, "%n== %s server ==%n", kind);
        ServerProcess server = new ServerProcess(kind, net, n);
        try (Clients clients = new Clients(n, net, server.port)) {
            long heapEmpty = server.heap();
            long overflowsBefore = listenOverflows();
            double joinSeconds = clients.joinAll() / 1e9;
            long synDrops = listenOverflows() - overflowsBefore;
            System.out.printf(Locale.ROOT, "all %,d clients hold the complete roster after %.2f s (%,d complete,"
                    + " %,d reads, %,d MB, %d SYNs dropped by a full accept queue)%n", n, joinSeconds, clients.complete,
                    clients.reads, clients.bytesIn / 1_000_000, synDrops);
            clients.pump(TimeUnit.MILLISECONDS.toNanos(500)); // let stragglers' bytes settle
            long heapFull = server.heap();
            double heapPerClientKb = (heapFull - heapEmpty) / 1024.0 / n;
            System.out.printf(Locale.ROOT, "server heap after GC: %,d bytes empty, %,d with clients: %.2f KB per client%n",
                    heapEmpty, heapFull, heapPerClientKb);
            String check = clients.checkSamples();
            double[] latencies = clients.presenceRounds(rounds);
            String counters = server.command("counters");
            System.out.println(kind + " counters (batches, snapshots, resyncs, frames out): " + counters);
            Arrays.sort(latencies);
            int samples = latencies.length;
            server.stop();
            return new Result(kind, n, clients.complete, clients.complete == n ? joinSeconds : Double.NaN,
                    percentile(latencies, 50), percentile(latencies, 99), samples == 0 ? Double.NaN : latencies[samples - 1],
                    samples, clients.presenceMissing, heapPerClientKb, clients.bytesIn / 1e6 / n,
                    counters.replace("COUNTERS ", ""), check);
        } finally {
            server.destroy();
        }
    }

    /** The kernel's count of connections dropped because an accept queue was full (Linux), or 0. */
    private static long listenOverflows() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                String[] keys = lines.get(i).split("\\s+");
                String[] values = lines.get(i + 1).split("\\s+");
                for (int k = 0; k < keys.length && k < values.length; k++) {
                    if (keys[k].equals("ListenOverflows")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or another layout: the figure is only a diagnosis
        }
        return 0;
    }

    private static double percentile(double[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The server in a child JVM with the same class path, driven through its stdin and stdout. */
    private static final class ServerProcess {
        final Process process;
        final BufferedReader out;
        final Writer in;
        final int port;

        ServerProcess(String kind, int net, int n) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx1g"));
            // extra options for the server JVM, e.g. -Droster.serverJvmArgs=-XX:StartFlightRecording=...
            String extra = System.getProperty("roster.serverJvmArgs", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), RosterServerProcess.class.getName(), kind));
            if (kind.equals("bare")) {
                command.add(Integer.toString(net));
                command.add(Integer.toString(n));
            }
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            port = Integer.parseInt(expect("PORT"));
        }

        private String expect(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix + " ")) {
                    return line.substring(prefix.length() + 1);
                }
                System.out.println("server: " + line);
            }
            throw new IOException("server process ended before " + prefix);
        }

        String command(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
            return command.equals("counters") ? "COUNTERS " + expect("COUNTERS") : expect(command.toUpperCase(Locale.ROOT));
        }

        long heap() throws IOException {
            return Long.parseLong(command("heap"));
        }

        void stop() throws IOException, InterruptedException {
            in.write("stop\n");
            in.flush();
            process.waitFor(20, TimeUnit.SECONDS);
        }

        void destroy() {
            process.destroy();
        }
    }

    /** N simulated clients on one selector; all state in arrays, indexed by client number. */
    private static final class Clients implements AutoCloseable {
        private static final int HEADER = 16;

        final int n;
        final int net;
        final InetSocketAddress server;
        final Selector selector;
        final SocketChannel[] channels;
        final int[] roster;
        final int[] snapshotSoFar;
        final boolean[] inSnapshot;
        final byte[] headers;
        final int[] headerHave;
        final int[] skip;
        final long[] presenceArrival;
        final FrameEncoder encoder = new FrameEncoder();
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
        /** Sample clients whose bytes also go through the real decoder: index → decoder and names. */
        final int[] samples;
        final FrameDecoder[] sampleDecoders;
        final List<Set<String>> sampleRosters = new ArrayList<>();
        int complete;
        int connecting;
        int presenceReceived;
        int presenceMissing;
        long bytesIn;
        long reads;
        int errors;
        int closed;

        Clients(int n, int net, int port) throws IOException {
            this.n = n;
            this.net = net;
            this.server = new InetSocketAddress("127.0.0.1", port);
            selector = Selector.open();
            channels = new SocketChannel[n];
            roster = new int[n];
            snapshotSoFar = new int[n];
            inSnapshot = new boolean[n];
            headers = new byte[n * HEADER];
            headerHave = new int[n];
            skip = new int[n];
            presenceArrival = new long[n];
            samples = new int[] {0, n / 2, n - 1};
            sampleDecoders = new FrameDecoder[samples.length];
            for (int s = 0; s < samples.length; s++) {
                sampleDecoders[s] = new FrameDecoder();
                sampleRosters.add(new HashSet<>());
            }
        }

        /** Connects everyone (at most 256 connecting at a time); nanoseconds until all hold all n. */
        long joinAll() throws IOException {
            long start = System.nanoTime();
            int next = 0;
            while (complete < n && System.nanoTime() - start < JOIN_TIMEOUT_NANOS) {
                while (connecting < MAX_CONNECTING && next < n) {
                    open(next++);
                }
                pumpOnce(10);
            }
            if (complete < n) {
                System.out.printf(Locale.ROOT, "join timed out: %,d of %,d complete, %d errors, %d closed%n", complete,
                        n, errors, closed);
            }
            return System.nanoTime() - start;
        }

        private void open(int i) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(LoadPlan.sourceAddress(net, i), 0));
            channels[i] = channel;
            connecting++;
            if (channel.connect(server)) {
                connected(i);
                channel.register(selector, SelectionKey.OP_READ, i);
            } else {
                channel.register(selector, SelectionKey.OP_CONNECT, i);
            }
        }

        private void connected(int i) throws IOException {
            connecting--;
            writeFully(channels[i], encoder.encode(new Frame.Hello(LoadPlan.name(i), LoadPlan.udpPort(i))));
        }

        void pump(long nanos) throws IOException {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() < end) {
                pumpOnce(10);
            }
        }

        void pumpOnce(long millis) throws IOException {
            selector.select(millis);
            Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                SelectionKey key = keys.next();
                keys.remove();
                int i = (Integer) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isConnectable()) {
                    if (channels[i].finishConnect()) {
                        connected(i);
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    continue;
                }
                if (key.isReadable()) {
                    readBuffer.clear();
                    int read = channels[i].read(readBuffer);
                    if (read < 0) {
                        closed++;
                        key.cancel();
                        channels[i].close();
                        continue;
                    }
                    bytesIn += read;
                    reads++;
                    readBuffer.flip();
                    int sample = sampleIndex(i);
                    if (sample >= 0) {
                        decodeSample(sample, readBuffer.duplicate());
                    }
                    follow(i, readBuffer);
                }
            }
        }

        private int sampleIndex(int i) {
            for (int s = 0; s < samples.length; s++) {
                if (samples[s] == i) {
                    return s;
                }
            }
            return -1;
        }

        private void decodeSample(int s, ByteBuffer bytes) {
            Set<String> names = sampleRosters.get(s);
            try {
                Frame frame;
                while ((frame = sampleDecoders[s].decode(bytes)) != null) {
                    switch (frame) {
                        case Frame.Snapshot part -> {
                            if (!snapshotStarted[s]) { // the first part of a (new) snapshot
                                names.clear();
                            }
                            snapshotStarted[s] = part.more();
                            part.entries().forEach(e -> names.add(e.name()));
                        }
                        case Frame.Joined joined -> names.add(joined.entry().name());
                        case Frame.Left left -> names.remove(left.name());
                        default -> {
                            // presence and pings do not change who is there
                        }
                    }
                }
            } catch (ProtocolException e) {
                System.out.println("sample client " + samples[s] + " got bad bytes: " + e.getMessage());
                errors++;
            }
        }

        private final boolean[] snapshotStarted = new boolean[3];

        /** Follows the frames of client i: headers only, bodies skipped. */
        private void follow(int i, ByteBuffer in) throws IOException {
            int base = i * HEADER;
            while (in.hasRemaining()) {
                if (skip[i] > 0) {
                    int k = Math.min(skip[i], in.remaining());
                    in.position(in.position() + k);
                    skip[i] -= k;
                    continue;
                }
                int have = headerHave[i];
                int want = have < 5 ? 5 : headerSize(headers[base + 4]);
                while (have < want && in.hasRemaining()) {
                    headers[base + have++] = in.get();
                    if (have == 5) {
                        want = headerSize(headers[base + 4]);
                    }
                }
                headerHave[i] = have;
                if (have < want) {
                    return;
                }
                int length = ((headers[base] & 0xFF) << 24) | ((headers[base + 1] & 0xFF) << 16)
                        | ((headers[base + 2] & 0xFF) << 8) | (headers[base + 3] & 0xFF);
                frame(i, headers[base + 4], base);
                headerHave[i] = 0;
                skip[i] = length - (want - 4);
            }
        }

        private static int headerSize(byte type) {
            if (type == FrameType.SNAPSHOT.code()) {
                return 8; // length, type, flags, count
            }
            if (type == FrameType.PING.code()) {
                return 13; // length, type, token
            }
            return 5;
        }

        private void frame(int i, byte type, int base) throws IOException {
            switch (FrameType.of(type & 0xFF)) {
                case SNAPSHOT -> {
                    int count = ((headers[base + 6] & 0xFF) << 8) | (headers[base + 7] & 0xFF);
                    if (!inSnapshot[i]) {
                        snapshotSoFar[i] = 0;
                    }
                    snapshotSoFar[i] += count;
                    inSnapshot[i] = (headers[base + 5] & 0x01) != 0;
                    if (!inSnapshot[i]) {
                        setRoster(i, snapshotSoFar[i]);
                    }
                }
                case JOINED -> setRoster(i, roster[i] + 1);
                case LEFT -> setRoster(i, roster[i] - 1);
                case PRESENCE_CHANGED -> {
                    if (presenceArrival[i] == 0) {
                        presenceArrival[i] = System.nanoTime();
                        presenceReceived++;
                    }
                }
                case PING -> {
                    ByteBuffer pong = ByteBuffer.allocate(13);
                    pong.putInt(9).put((byte) FrameType.PONG.code()).put(headers, base + 5, 8).flip();
                    writeFully(channels[i], pong);
                }
                case ERROR -> {
                    if (errors++ < 5) {
                        System.out.println("client " + i + " got an ERROR frame");
                    }
                }
                case null, default -> {
                    // BYE, PONG: nothing to follow
                }
            }
        }

        private void setRoster(int i, int size) {
            boolean was = roster[i] == n;
            roster[i] = size;
            boolean is = size == n;
            if (is && !was) {
                complete++;
            } else if (was && !is) {
                complete--;
            }
        }

        /** R rounds: one client changes its presence; latency until each client has the change. */
        double[] presenceRounds(int rounds) throws IOException {
            List<Double> latencies = new ArrayList<>();
            for (int r = -WARM_UP_ROUNDS; r < rounds; r++) {
                if (r == 0) {
                    latencies.clear();
                    presenceMissing = 0;
                }
                Arrays.fill(presenceArrival, 0);
                presenceReceived = 0;
                int sender = (int) (((r + WARM_UP_ROUNDS) * 7919L + 13) % n);
                WirePresence presence = (r & 1) == 0 ? WirePresence.AWAY : WirePresence.BUSY;
                ByteBuffer change = encoder.encode(new Frame.SetPresence(presence, "round " + r));
                long sent = System.nanoTime();
                writeFully(channels[sender], change);
                while (presenceReceived < n && System.nanoTime() - sent < PRESENCE_TIMEOUT_NANOS) {
                    pumpOnce(5);
                }
                for (int i = 0; i < n; i++) {
                    if (presenceArrival[i] != 0) {
                        latencies.add((presenceArrival[i] - sent) / 1e6);
                    } else {
                        presenceMissing++;
                    }
                }
                double[] round = latencies.subList(latencies.size() - presenceReceived, latencies.size()).stream()
                        .mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "presence round %2d%s: %,d of %,d clients, p50 %.1f ms, p99 %.1f ms%n", r,
                        r < 0 ? " (warm-up)" : "", presenceReceived, n, percentile(round, 50), percentile(round, 99));
                pump(TimeUnit.MILLISECONDS.toNanos(200));
            }
            return latencies.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** The sample clients' decoded rosters against the plan, name by name. */
        String checkSamples() {
            Set<String> expected = new HashSet<>();
            for (WireEntry entry : LoadPlan.roster(net, n)) {
                expected.add(entry.name());
            }
            int right = 0;
            for (Set<String> names : sampleRosters) {
                if (names.equals(expected)) {
                    right++;
                }
            }
            String check = right + "/" + samples.length + " sample rosters exact";
            System.out.println(check + (errors > 0 ? ", " + errors + " errors" : ""));
            return check;
        }

        private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (bytes.hasRemaining()) {
                if (channel.write(bytes) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("socket stays full");
                    }
                    Thread.onSpinWait();
                }
            }
        }

        @Override
        public void close() throws IOException {
            for (SocketChannel channel : channels) {
                if (channel != null) {
                    channel.close();
                }
            }
            selector.close();
        }
    }

    private static String table(Result roster, Result bare) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Roster server vs bare NIO baseline, %,d clients, %d cores%n%n",
                roster.clients(), Runtime.getRuntime().availableProcessors()));
        t.append("| measure | roster server | bare NIO baseline | ratio | target |\n");
        t.append("|---|---:|---:|---:|---|\n");
        row(t, "join: all clients hold the complete roster (s)", roster.joinSeconds(), bare.joinSeconds(), "≤ 10 s");
        row(t, "presence change to all clients p50 (ms)", roster.p50Millis(), bare.p50Millis(), "—");
        row(t, "presence change to all clients p99 (ms)", roster.p99Millis(), bare.p99Millis(), "≤ 200 ms");
        row(t, "presence change to all clients max (ms)", roster.maxMillis(), bare.maxMillis(), "—");
        row(t, "server heap after GC per client (KB)", roster.heapPerClientKb(), bare.heapPerClientKb(), "≤ 20 KB");
        row(t, "MB received per client (join + presence)", roster.mbReceivedPerClient(), bare.mbReceivedPerClient(), "—");
        t.append(String.format(Locale.ROOT, "%nroster server: %,d of %,d complete, %s, %,d presence samples (%d missing),"
                + " counters (batches, snapshots, resyncs, frames out): %s%n", roster.completed(), roster.clients(),
                roster.check(), roster.presenceSamples(), roster.presenceMissing(), roster.counters()));
        t.append(String.format(Locale.ROOT, "baseline: %,d of %,d complete, %s, %,d presence samples (%d missing)%n",
                bare.completed(), bare.clients(), bare.check(), bare.presenceSamples(), bare.presenceMissing()));
        return t.toString();
    }

    private static void row(StringBuilder t, String name, double roster, double bare, String target) {
        t.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %s |%n", name, roster, bare, roster / bare, target));
    }

    private static String csv(Result roster, Result bare) {
        StringBuilder c = new StringBuilder("server,clients,completed,join_s,presence_p50_ms,presence_p99_ms,"
                + "presence_max_ms,presence_samples,presence_missing,heap_per_client_kb,mb_received_per_client,check\n");
        for (Result r : List.of(roster, bare)) {
            c.append(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.2f,%.2f,%.2f,%d,%d,%.2f,%.2f,%s%n", r.server(),
                    r.clients(), r.completed(), r.joinSeconds(), r.p50Millis(), r.p99Millis(), r.maxMillis(),
                    r.presenceSamples(), r.presenceMissing(), r.heapPerClientKb(), r.mbReceivedPerClient(), r.check()));
        }
        return c.toString();
    }
}
