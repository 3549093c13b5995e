package peerchat.transport.udp.internal;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.log.Logger;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageListener;

/**
 * Measures the reliable UDP transport next to a raw {@link DatagramChannel} baseline on loopback, in
 * one run, and prints a table (also written to {@code target/results.md} and {@code .csv}). Not a
 * test: nothing here asserts a speed. Lives in the engine's package (on the plain class path) so it
 * can drive {@link UdpTransportEngine} without OSGi. See docs/PERFORMANCE.md for how to run it.
 */
public final class TransportBenchmark {

    private record Row(String name, String unit, double transport, double raw, String ratioNote, String target) {
    }

    private static final String HOST = "127.0.0.1";
    private final boolean quick;
    private final List<Row> rows = new ArrayList<>();
    private int printed;
    private final Logger logger = quietLogger();

    private TransportBenchmark(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path out = Path.of(args.length > 0 && !args[args.length - 1].startsWith("--") ? args[args.length - 1]
                : "target");
        TransportBenchmark benchmark = new TransportBenchmark(quick);
        System.out.printf("Peers Chatting UDP transport benchmark (%s run, %d cores, %s %s)%n",
                quick ? "quick" : "full", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        benchmark.roundTrip();
        benchmark.throughput();
        benchmark.megabyte();
        benchmark.goodputUnderLoss();
        benchmark.idleSessions();
        benchmark.report(out);
    }

    // --- 1. round trip ---------------------------------------------------------------------

    /**
     * Transport and raw ping-pong alternate in blocks of 100 round trips (a few milliseconds each),
     * so both see the same machine load: this machine is shared, and its slow phases last longer than
     * a block (one after the other, or in longer blocks, skews the ratios, p99 most). The transport is
     * measured two ways: at the receipt's callback, which sends the next message (the thread that
     * learns of the receipt sends again, as ping-pong's thread does with the echo), and by a caller
     * blocked in {@code get()} (one more thread to wake per round trip).
     */
    private void roundTrip() throws Exception {
        int blocks = quick ? 50 : 200;
        int block = 100;
        int warmupBlocks = quick ? 20 : 50;
        String text = "x".repeat(64);
        long[] transport = new long[blocks * block];
        long[] blocking = new long[blocks * block];
        long[] raw = new long[blocks * block];
        long[] relay = new long[blocks * block];
        try (Pair pair = new Pair(TransportSettings.defaults(), TransportSettings.defaults(), 0);
                RawPingPong ping = new RawPingPong(64);
                RawHandOff handOff = new RawHandOff(64)) {
            for (int b = -warmupBlocks; b < blocks; b++) {
                long[] chained = chainedRoundTrips(pair, text, block);
                if (b >= 0) {
                    System.arraycopy(chained, 0, transport, b * block, block);
                }
                for (int i = 0; i < block; i++) {
                    long start = System.nanoTime();
                    var result = pair.a.send(pair.b.localAddress(), text).toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    long took = System.nanoTime() - start;
                    if (result.status() != DeliveryStatus.DELIVERED) {
                        throw new IllegalStateException("round trip failed: " + result);
                    }
                    if (b >= 0) {
                        blocking[b * block + i] = took;
                    }
                }
                for (int i = 0; i < block; i++) {
                    long took = ping.roundTrip();
                    if (b >= 0) {
                        raw[b * block + i] = took;
                    }
                }
                for (int i = 0; i < block; i++) {
                    long took = handOff.roundTrip();
                    if (b >= 0) {
                        relay[b * block + i] = took;
                    }
                }
            }
        }
        int count = blocks * block;
        Arrays.sort(transport);
        Arrays.sort(blocking);
        Arrays.sort(raw);
        Arrays.sort(relay);
        double tp50 = micros(transport[count / 2]);
        double rp50 = micros(raw[count / 2]);
        double tp99 = micros(transport[(int) (count * 0.99)]);
        double rp99 = micros(raw[(int) (count * 0.99)]);
        rows.add(new Row("64 B round trip p50 (send -> receipt callback)", "µs", tp50, rp50,
                ratio(tp50, rp50), "ratio <= 1.5"));
        rows.add(new Row("64 B round trip p99 (send -> receipt callback)", "µs", tp99, rp99, ratio(tp99, rp99),
                "ratio <= 2.0"));
        double bp50 = micros(blocking[count / 2]);
        double bp99 = micros(blocking[(int) (count * 0.99)]);
        rows.add(new Row("64 B round trip p50, caller blocked in get()", "µs", bp50, rp50, ratio(bp50, rp50),
                "- (one more wake-up)"));
        rows.add(new Row("64 B round trip p99, caller blocked in get()", "µs", bp99, rp99, ratio(bp99, rp99),
                "-"));
        double hp50 = micros(relay[count / 2]);
        double hp99 = micros(relay[(int) (count * 0.99)]);
        rows.add(new Row("64 B round trip p50, raw with 3 hand-offs (floor)", "µs", hp50, rp50,
                ratio(hp50, rp50), "- (floor of the design)"));
        rows.add(new Row("64 B round trip p99, raw with 3 hand-offs (floor)", "µs", hp99, rp99,
                ratio(hp99, rp99), "-"));
        progress();
    }

    /**
     * {@code count} round trips where each receipt's callback (on the engine's receive thread)
     * records the time and sends the next message; returns the times in nanoseconds.
     */
    private static long[] chainedRoundTrips(Pair pair, String text, int count) throws Exception {
        long[] took = new long[count];
        CompletableFuture<Void> finished = new CompletableFuture<>();
        new Object() {
            private int next;

            void send() {
                long start = System.nanoTime();
                pair.a.send(pair.b.localAddress(), text).whenComplete((result, failure) -> {
                    took[next++] = System.nanoTime() - start;
                    if (failure != null || result.status() != DeliveryStatus.DELIVERED) {
                        finished.completeExceptionally(new IllegalStateException("round trip failed: " + result,
                                failure));
                    } else if (next < count) {
                        send();
                    } else {
                        finished.complete(null);
                    }
                });
            }
        }.send();
        finished.get(60, TimeUnit.SECONDS);
        return took;
    }

    /** Two raw channels on loopback; a thread echoes every datagram back. */
    static final class RawPingPong implements AutoCloseable {
        private final DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
        private final DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
        private final InetSocketAddress bAddress = (InetSocketAddress) b.getLocalAddress();
        private final ByteBuffer out;
        private final ByteBuffer in = ByteBuffer.allocate(2048);

        RawPingPong(int size) throws IOException {
            out = ByteBuffer.allocate(size);
            InetSocketAddress aAddress = (InetSocketAddress) a.getLocalAddress();
            Thread echo = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                try {
                    while (true) {
                        buffer.clear();
                        b.receive(buffer);
                        buffer.flip();
                        b.send(buffer, aAddress);
                    }
                } catch (IOException closed) {
                    // close() ends the echo
                }
            }, "raw-echo");
            echo.setDaemon(true);
            echo.start();
        }

        long roundTrip() throws IOException {
            long start = System.nanoTime();
            out.clear();
            a.send(out, bAddress);
            in.clear();
            a.receive(in);
            return System.nanoTime() - start;
        }

        @Override
        public void close() throws IOException {
            a.close();
            b.close();
        }
    }

    /**
     * The round trip's thread structure without the protocol: the caller sends a datagram and waits
     * on a future; an echo thread returns it; a receiver thread (not the caller) reads the echo and
     * completes the future. Three wake-ups per round trip instead of ping-pong's two, as in the
     * transport (peer's receive thread, own receive thread, caller); the transport adds its
     * processing and the peer's delivery thread to this.
     */
    private static final class RawHandOff implements AutoCloseable {
        private final DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
        private final DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
        private final InetSocketAddress bAddress = (InetSocketAddress) b.getLocalAddress();
        private final ByteBuffer out;
        private volatile CompletableFuture<Void> pending;

        RawHandOff(int size) throws IOException {
            out = ByteBuffer.allocate(size);
            InetSocketAddress aAddress = (InetSocketAddress) a.getLocalAddress();
            Thread echo = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                try {
                    while (true) {
                        buffer.clear();
                        b.receive(buffer);
                        buffer.flip();
                        b.send(buffer, aAddress);
                    }
                } catch (IOException closed) {
                    // close() ends the echo
                }
            }, "raw-handoff-echo");
            Thread receiver = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                try {
                    while (true) {
                        buffer.clear();
                        a.receive(buffer);
                        pending.complete(null);
                    }
                } catch (IOException closed) {
                    // close() ends the receiver
                }
            }, "raw-handoff-receiver");
            for (Thread thread : List.of(echo, receiver)) {
                thread.setDaemon(true);
                thread.start();
            }
        }

        long roundTrip() throws Exception {
            long start = System.nanoTime();
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending = done;
            out.clear();
            a.send(out, bAddress);
            done.get(10, TimeUnit.SECONDS);
            return System.nanoTime() - start;
        }

        @Override
        public void close() throws IOException {
            a.close();
            b.close();
        }
    }

    // --- 2. throughput ---------------------------------------------------------------------

    private void throughput() throws Exception {
        long seconds = quick ? 2 : 4;
        String text = "y".repeat(100);
        AtomicLong received = new AtomicLong();
        double transportRate;
        try (Pair pair = new Pair(TransportSettings.defaults(), TransportSettings.defaults(), 0,
                message -> received.incrementAndGet())) {
            Semaphore outstanding = new Semaphore(200_000);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (System.nanoTime() < end) {
                outstanding.acquire();
                pair.a.send(pair.b.localAddress(), text).whenComplete((r, e) -> outstanding.release());
                sent++;
            }
            long total = sent;
            waitUntil(() -> received.get() >= total, 60);
            transportRate = received.get() / seconds(System.nanoTime() - start);
        }
        double rawRate = rawBlast(100, seconds)[0];
        rows.add(new Row("100 B messages one way", "msg/s", transportRate, rawRate, ratio(transportRate, rawRate)
                + " (" + percent(transportRate, rawRate) + " of raw)", ">= 150,000 msg/s and >= 40% of raw"));
        progress();
    }

    /** Raw datagrams blasted one way for {@code seconds}: {received per s, sent per s, received count}. */
    private double[] rawBlast(int size, long seconds) throws Exception {
        try (DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
                DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0))) {
            receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            AtomicLong received = new AtomicLong();
            Thread counter = new Thread(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(2048);
                try {
                    while (true) {
                        buffer.clear();
                        receiver.receive(buffer);
                        received.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the benchmark closes the channel to end the count
                }
            }, "raw-counter");
            counter.setDaemon(true);
            counter.start();
            ByteBuffer out = ByteBuffer.allocate(size);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            while (System.nanoTime() < end) {
                out.clear();
                sender.send(out, to);
                sent++;
            }
            Thread.sleep(200); // let the receiver drain its buffer
            double elapsed = seconds(end - start);
            return new double[] {received.get() / elapsed, sent / elapsed, received.get()};
        }
    }

    // --- 3. one mebibyte -------------------------------------------------------------------

    private void megabyte() throws Exception {
        int reps = quick ? 5 : 15;
        String text = "z".repeat(1 << 20);
        long[] transport = new long[reps];
        CountDownLatch[] arrived = {new CountDownLatch(1)};
        try (Pair pair = new Pair(TransportSettings.defaults(), TransportSettings.defaults(), 0,
                message -> arrived[0].countDown())) {
            for (int i = -2; i < reps; i++) { // two warm-up transfers
                arrived[0] = new CountDownLatch(1);
                long start = System.nanoTime();
                pair.a.send(pair.b.localAddress(), text);
                if (!arrived[0].await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("1 MiB message did not arrive");
                }
                if (i >= 0) {
                    transport[i] = System.nanoTime() - start;
                }
            }
        }
        long[] raw = new long[reps];
        int rawLost = 0;
        for (int i = 0; i < reps; i++) {
            long[] result = rawMegabyte();
            raw[i] = result[0];
            rawLost += (int) result[1];
        }
        Arrays.sort(transport);
        Arrays.sort(raw);
        double t = transport[reps / 2] / 1e6;
        double r = raw[reps / 2] / 1e6;
        rows.add(new Row("1 MiB message transfer (median)", "ms", t, r, ratio(t, r)
                + (rawLost > 0 ? " (raw lost " + rawLost + " datagrams in total)" : ""),
                "raw = blast 874 datagrams of 1200 B"));
        progress();
    }

    /** Time until the receiver saw the last of 1 MiB sent as 1200-byte datagrams, and how many were lost. */
    private long[] rawMegabyte() throws Exception {
        int datagrams = ((1 << 20) + 1199) / 1200;
        try (DatagramChannel sender = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
                DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0))) {
            receiver.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            receiver.configureBlocking(false);
            ByteBuffer out = ByteBuffer.allocate(1200);
            ByteBuffer in = ByteBuffer.allocate(2048);
            long start = System.nanoTime();
            for (int i = 0; i < datagrams; i++) {
                out.clear();
                sender.send(out, to);
            }
            int got = 0;
            long last = start;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (got < datagrams && System.nanoTime() < giveUp) {
                in.clear();
                if (receiver.receive(in) != null) {
                    got++;
                    last = System.nanoTime();
                }
            }
            return new long[] {last - start, datagrams - got};
        }
    }

    // --- 4. goodput under loss -------------------------------------------------------------

    /** Lossless and lossy runs alternate three times each (same load for both); goodputs are totals. */
    /**
     * Lossless and lossy runs alternate (8 pairs, 4 quick), each 4,000 messages of 10 KB (40 MB):
     * a single run lasts a fraction of a second, and this machine's speed changes between runs by
     * up to 3 times, so medians of several alternating runs are compared, never one run.
     */
    private void goodputUnderLoss() throws Exception {
        int messages = 4_000;
        int pairs = quick ? 4 : 8;
        double[] lossless = new double[pairs];
        double[] lossy = new double[pairs];
        for (int round = 0; round < pairs; round++) {
            double[] clean = goodput(0, messages, round);
            double[] lost = goodput(0.05, messages, round);
            lossless[round] = clean[0] / clean[1] / 1e6;
            lossy[round] = lost[0] / lost[1] / 1e6;
        }
        double losslessRate = median(lossless);
        double lossyRate = median(lossy);
        double[] raw = rawBlast(1200, quick ? 1 : 2);
        double rawRate = raw[0] * 1200 / 1e6;
        rows.add(new Row("goodput, 10 KB messages, lossless (median)", "MB/s", losslessRate, rawRate,
                ratio(losslessRate, rawRate), "-"));
        rows.add(new Row("goodput at 5% random loss (both directions, median)", "MB/s", lossyRate, rawRate * 0.95,
                "lossy/lossless = " + percent(lossyRate, losslessRate), ">= 50% of lossless"));
        progress();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** {bytes delivered, seconds taken}. */
    private double[] goodput(double loss, int messages, long seed) throws Exception {
        String text = "g".repeat(10_000);
        AtomicLong bytes = new AtomicLong();
        CountDownLatch all = new CountDownLatch(messages);
        try (Pair pair = new Pair(TransportSettings.defaults(), TransportSettings.defaults(), loss, seed, message -> {
            bytes.addAndGet(message.text().length());
            all.countDown();
        })) {
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                pair.a.send(pair.b.localAddress(), text);
            }
            if (!all.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("goodput run at loss " + loss + " did not finish");
            }
            return new double[] {bytes.get(), seconds(System.nanoTime() - start)};
        }
    }

    // --- 5. idle sessions ------------------------------------------------------------------

    private void idleSessions() throws Exception {
        int peers = 1_000;
        long before = usedHeap();
        List<DatagramChannel> raws = new ArrayList<>();
        try {
            for (int i = 0; i < peers; i++) {
                DatagramChannel channel = DatagramChannel.open().bind(new InetSocketAddress(HOST, 0));
                raws.add(channel);
            }
            long withChannels = usedHeap();
            try (Pair pair = new Pair(TransportSettings.defaults(), TransportSettings.defaults(), 0)) {
                UdpTransportEngine engine = pair.a;
                long withEngine = usedHeap();
                InetSocketAddress engineAddress = new InetSocketAddress(HOST, engine.localAddress().port());
                ByteBuffer in = ByteBuffer.allocate(2048);
                for (int i = 0; i < peers; i++) {
                    DatagramChannel raw = raws.get(i);
                    // the peer's stream to the engine (a receive session) ...
                    raw.send(TestFrames.data(0x1000 + i, 7, 1, "hello from raw peer " + i), engineAddress);
                    // ... and the engine's stream to the peer (a send session), acknowledged by hand
                    var result = engine.send(new PeerAddress(HOST, ((InetSocketAddress) raw.getLocalAddress())
                            .getPort()), "hello raw peer " + i).toCompletableFuture();
                    Frame.Data data = null;
                    while (data == null) {
                        in.clear();
                        raw.receive(in);
                        in.flip();
                        if (FrameCodec.decode(in) instanceof Frame.Data d) {
                            data = d;
                        }
                    }
                    raw.send(FrameCodec.encodeAck(data.session(), 7, data.seq(), 1024, 0, new long[0]), engineAddress);
                    result.get(10, TimeUnit.SECONDS);
                }
                waitUntil(() -> engine.stats().peers().size() == peers && engine.stats().messagesReceived() == peers,
                        30);
                long withSessions = usedHeap();
                double sessionsMb = (withSessions - withEngine) / 1e6;
                double channelsMb = (withChannels - before) / 1e6;
                rows.add(new Row("heap of 1,000 idle peer sessions (send + receive side)", "MB", sessionsMb,
                        channelsMb, "raw = heap of 1,000 open DatagramChannels", "< 50 MB"));
            }
        } finally {
            for (DatagramChannel channel : raws) {
                channel.close();
            }
        }
        progress();
    }

    private static long usedHeap() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    // --- output ----------------------------------------------------------------------------

    private void report(Path out) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("| benchmark | unit | transport | raw UDP | ratio | target |\n");
        md.append("|---|---|---:|---:|---|---|\n");
        StringBuilder csv = new StringBuilder("benchmark,unit,transport,raw,ratio,target\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", row.name(), row.unit(),
                    number(row.transport()), number(row.raw()), row.ratioNote(), row.target()));
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%.3f,%.3f,\"%s\",\"%s\"%n", row.name(), row.unit(),
                    row.transport(), row.raw(), row.ratioNote(), row.target()));
        }
        System.out.println();
        System.out.print(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), md);
        Files.writeString(out.resolve("results.csv"), csv);
        System.out.println();
        System.out.println("written to " + out.resolve("results.md").toAbsolutePath() + " and results.csv");
    }

    private void progress() {
        for (; printed < rows.size(); printed++) {
            Row row = rows.get(printed);
            System.out.printf(Locale.ROOT, "  %-55s %12s %-5s (raw %s)%n", row.name(), number(row.transport()),
                    row.unit(), number(row.raw()));
        }
    }

    private static String number(double value) {
        return Math.abs(value) >= 1000 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String ratio(double transport, double raw) {
        return String.format(Locale.ROOT, "%.2f", transport / raw);
    }

    private static String percent(double part, double whole) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * part / whole);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, long seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("benchmark step did not finish within " + seconds + " s");
            }
            Thread.sleep(2);
        }
    }

    static Logger quietLogger() {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "error" -> System.err.println("transport error: " + Arrays.toString(args));
                        case "getName" -> {
                            return "benchmark";
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "toString" -> {
                            return "benchmark logger";
                        }
                        default -> {
                            // quiet
                        }
                    }
                    return method.getReturnType() == boolean.class ? Boolean.FALSE : null;
                });
    }

    /** Two engines on loopback; with {@code loss} > 0 each drops that share of its outgoing datagrams. */
    private final class Pair implements AutoCloseable {
        final UdpTransportEngine a;
        final UdpTransportEngine b;

        Pair(TransportSettings sa, TransportSettings sb, double loss, MessageListener... atB) throws IOException {
            this(sa, sb, loss, 0, atB);
        }

        /** {@code seed} picks which datagrams the loss drops (the same seed, the same pattern). */
        Pair(TransportSettings sa, TransportSettings sb, double loss, long seed, MessageListener... atB)
                throws IOException {
            a = new UdpTransportEngine(io(loss, 2 * seed + 1), sa, List.of(), logger);
            b = new UdpTransportEngine(io(loss, 2 * seed + 2), sb, List.of(atB), logger);
            // these figures are the transport's own: its keeper keeps at once (the durable ones are elsewhere)
            a.keeper(message -> java.util.concurrent.CompletableFuture.completedFuture(null));
            b.keeper(message -> java.util.concurrent.CompletableFuture.completedFuture(null));
            a.start();
            b.start();
        }

        private DatagramIo io(double loss, long seed) throws IOException {
            NioDatagramIo io = NioDatagramIo.bind(HOST, 0);
            return loss == 0 ? io : new RandomLoss(io, loss, new Random(seed));
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    /** Drops a random share of outgoing datagrams. */
    private static final class RandomLoss implements DatagramIo {
        private final DatagramIo delegate;
        private final double loss;
        private final Random random;

        RandomLoss(DatagramIo delegate, double loss, Random random) {
            this.delegate = delegate;
            this.loss = loss;
            this.random = random;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            boolean drop;
            synchronized (random) {
                drop = random.nextDouble() < loss;
            }
            if (!drop) {
                delegate.send(datagram, to);
            }
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

    /** Hand-made frames for the raw peers of the session benchmark. */
    private static final class TestFrames {
        static ByteBuffer data(int session, int incarnation, long seq, String text) {
            byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteBuffer data = FrameCodec.startData(session, incarnation, seq);
            FrameCodec.putChunk(data, FrameCodec.CHUNK_FIRST | FrameCodec.CHUNK_LAST, utf8, 0, utf8.length);
            return data.flip();
        }
    }
}
