package peerchat.transport.udp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.log.Logger;

import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.store.MessageStore;
import peerchat.api.transport.MessageKeeper;
import peerchat.chat.core.internal.BenchChat;
import peerchat.store.sqlite.internal.BenchStores;

/**
 * "Delivered means stored", measured: the receipt waits for the receiver's chat core to commit the
 * message to its SQLite store (the product's receiving path: transport → keeper → chat thread →
 * group commit → ACK). Baselines from the same run, on the same disk: raw UDP ping-pong and a raw
 * {@code FileChannel.write + force}. Throughput compares the same transport with a keeper that
 * keeps at once (today's non-durable figure) and with the durable one.
 * <p>
 * {@code java ... DurableBenchmark [--quick] [OUT_DIR]}; the store files go to {@code -Ddir=}
 * (default {@code target/durable-bench}): choose the disk you want to measure.
 */
public final class DurableBenchmark {

    private record Row(String name, String unit, double value, double baseline, String baselineName, String target) {
    }

    private final boolean quick;
    private final Path dir;
    private final Logger logger = TransportBenchmark.quietLogger();
    private final List<Row> rows = new ArrayList<>();

    private DurableBenchmark(boolean quick, Path dir) {
        this.quick = quick;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path out = Path.of(args.length > 0 && !args[args.length - 1].startsWith("--") ? args[args.length - 1]
                : "target/durable");
        Path dir = Path.of(System.getProperty("dir", "target/durable-bench"));
        Files.createDirectories(dir);
        System.out.printf("Peers Chatting durable delivery benchmark (%s run, %d cores, %s %s, disk %s)%n",
                quick ? "quick" : "full", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), dir.toAbsolutePath());
        DurableBenchmark benchmark = new DurableBenchmark(quick, dir);
        String only = System.getProperty("only", "");
        if (!only.equals("throughput")) {
            benchmark.receipt();
        }
        if (!only.equals("receipt")) {
            benchmark.throughput();
        }
        benchmark.report(out);
        System.exit(0); // SQLite's and the engines' daemon threads need no orderly end here
    }

    /** Bob: a transport whose keeper is a real chat engine on a fresh store. */
    private final class Receiver implements AutoCloseable {
        final BenchTransports.Bench transport;
        final MessageStore store;
        final BenchChat chat;

        Receiver(String name, BenchTransports.Bench alice) throws Exception {
            transport = BenchTransports.start(logger);
            Path file = dir.resolve(name + "-" + System.nanoTime() + ".db");
            store = BenchStores.open(file);
            chat = BenchChat.start("bob", List.of(BenchChat.online("alice", alice.localAddress()),
                    BenchChat.online("bob", transport.localAddress())), store, transport);
            transport.keeper(chat);
        }

        @Override
        public void close() {
            chat.close();
            transport.close();
            BenchStores.close(store);
        }
    }

    // --- 1. durable receipt ----------------------------------------------------------------------

    /** Blocks of 100 alternate: durable receipts, raw ping-pong, raw fsync: all see the same machine load. */
    private void receipt() throws Exception {
        int blocks = quick ? 10 : 50;
        int block = 100;
        String text = "x".repeat(64);
        long[] durable = new long[blocks * block];
        long[] raw = new long[blocks * block];
        long[] fsync = new long[blocks * block];
        Path syncFile = dir.resolve("fsync-" + System.nanoTime() + ".bin");
        try (BenchTransports.Bench alice = BenchTransports.start(logger);
                Receiver bob = new Receiver("receipt", alice);
                TransportBenchmark.RawPingPong ping = new TransportBenchmark.RawPingPong(64);
                FileChannel channel = FileChannel.open(syncFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            alice.keeper(message -> CompletableFuture.completedFuture(null));
            ByteBuffer record = ByteBuffer.allocate(100);
            for (int b = -2; b < blocks; b++) {
                for (int i = 0; i < block; i++) {
                    long start = System.nanoTime();
                    var result = alice.send(bob.transport.localAddress(), BenchChat.nextId(), text)
                            .toCompletableFuture().get(30, TimeUnit.SECONDS);
                    long took = System.nanoTime() - start;
                    if (result.status() != DeliveryStatus.DELIVERED) {
                        throw new IllegalStateException("durable round trip failed: " + result);
                    }
                    if (b >= 0) {
                        durable[b * block + i] = took;
                    }
                }
                for (int i = 0; i < block; i++) {
                    long took = ping.roundTrip();
                    if (b >= 0) {
                        raw[b * block + i] = took;
                    }
                }
                for (int i = 0; i < block; i++) {
                    long start = System.nanoTime();
                    record.clear();
                    channel.write(record);
                    channel.force(false);
                    long took = System.nanoTime() - start;
                    if (b >= 0) {
                        fsync[b * block + i] = took;
                    }
                }
            }
        } finally {
            Files.deleteIfExists(syncFile);
        }
        Arrays.sort(durable);
        Arrays.sort(raw);
        Arrays.sort(fsync);
        int n = durable.length;
        double d50 = micros(durable[n / 2]);
        double r50 = micros(raw[n / 2]);
        double f50 = micros(fsync[n / 2]);
        double d99 = micros(durable[(int) (n * 0.99)]);
        double r99 = micros(raw[(int) (n * 0.99)]);
        double f99 = micros(fsync[(int) (n * 0.99)]);
        double bound = r50 + 1.2 * f50;
        rows.add(new Row("64 B receipt after the receiver's commit, p50", "µs", d50, bound,
                String.format(Locale.ROOT, "raw UDP %.0f + 1.2 × fsync %.0f", r50, f50),
                "<= raw UDP + 1.2 × fsync: " + (d50 <= bound ? "met" : "NOT met")));
        rows.add(new Row("64 B receipt after the receiver's commit, p99", "µs", d99, r99 + 1.2 * f99,
                String.format(Locale.ROOT, "raw UDP %.0f + 1.2 × fsync %.0f", r99, f99), "-"));
        rows.add(new Row("raw UDP round trip p50 / p99", "µs", r50, r99, "p99", "baseline"));
        rows.add(new Row("raw write + force(false) of 100 B p50 / p99", "µs", f50, f99, "p99", "baseline"));
        progress();
    }

    // --- 2. one-way throughput with group commit -------------------------------------------------

    private void throughput() throws Exception {
        long seconds = quick ? 2 : 5;
        String text = "y".repeat(100);
        double nonDurable;
        try (BenchTransports.Bench alice = BenchTransports.start(logger);
                BenchTransports.Bench bob = BenchTransports.start(logger)) {
            alice.keeper(message -> CompletableFuture.completedFuture(null));
            AtomicLong kept = new AtomicLong();
            bob.keeper(message -> {
                kept.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            });
            nonDurable = blast(alice, bob, text, seconds, kept);
        }
        double durable;
        try (BenchTransports.Bench alice = BenchTransports.start(logger);
                Receiver bob = new Receiver("throughput", alice)) {
            alice.keeper(message -> CompletableFuture.completedFuture(null));
            AtomicLong kept = new AtomicLong();
            MessageKeeper counting = new MessageKeeper() {
                @Override
                public java.util.concurrent.CompletionStage<?> keep(IncomingMessage message) {
                    return bob.chat.keep(message).thenRun(kept::incrementAndGet);
                }
            };
            bob.transport.keeper(counting);
            long commitsBefore = BenchStores.commits(bob.store);
            durable = blast(alice, bob.transport, text, seconds, kept);
            long commits = BenchStores.commits(bob.store) - commitsBefore;
            System.out.printf(Locale.ROOT, "  (receiver: %d commits, %.1f messages per commit)%n", commits,
                    (double) kept.get() / Math.max(1, commits));
        }
        rows.add(new Row("100 B messages one way, stored (group commit)", "msg/s", durable, nonDurable,
                "non-durable (keeper keeps at once)",
                String.format(Locale.ROOT, ">= 100,000 msg/s: %s; >= 50%% of non-durable: %.0f%% (%s)",
                        durable >= 100_000 ? "met" : "NOT met", 100 * durable / nonDurable,
                        durable >= 0.5 * nonDurable ? "met" : "NOT met")));
        progress();
    }

    /**
     * Sends for {@code seconds} with at most 200,000 outstanding; messages kept per second until every
     * send has its outcome. A send that fails (none should) is counted and reported.
     */
    private static double blast(BenchTransports.Bench from, BenchTransports.Bench to, String text, long seconds,
            AtomicLong kept) throws Exception {
        Semaphore outstanding = new Semaphore(200_000);
        AtomicLong failed = new AtomicLong();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long sent = 0;
        while (System.nanoTime() < end) {
            outstanding.acquire();
            from.send(to.localAddress(), BenchChat.nextId(), text).whenComplete((r, e) -> {
                if (e != null || r.status() != DeliveryStatus.DELIVERED) {
                    failed.incrementAndGet();
                }
                done.incrementAndGet();
                outstanding.release();
            });
            sent++;
        }
        long total = sent;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (done.get() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + done.get() + " of " + total + " sends completed within 120 s");
            }
            Thread.sleep(2);
        }
        double rate = kept.get() / ((System.nanoTime() - start) / 1e9);
        var stats = from.stats();
        System.out.printf(Locale.ROOT, "  (sender: %d packets, %d retransmitted; receiver: %d duplicates dropped)%n",
                stats.packetsSent(), stats.packetsRetransmitted(), to.stats().duplicatesDropped());
        if (failed.get() > 0) {
            System.out.printf(Locale.ROOT, "  (%d of %d sends failed: %s)%n", failed.get(), total,
                    "the sender gave up; a chat core would queue them again");
        }
        return rate;
    }

    // --- report ------------------------------------------------------------------------------------

    private int printed;

    private void progress() {
        for (; printed < rows.size(); printed++) {
            Row row = rows.get(printed);
            System.out.printf(Locale.ROOT, "  %-55s %12s %-5s (%s %s)%n", row.name(), number(row.value()), row.unit(),
                    row.baselineName(), number(row.baseline()));
        }
    }

    private void report(Path out) throws IOException {
        StringBuilder md = new StringBuilder("| benchmark | unit | measured | baseline | baseline is | target |\n"
                + "|---|---|---:|---:|---|---|\n");
        StringBuilder csv = new StringBuilder("benchmark,unit,measured,baseline,baseline_is,target\n");
        for (Row row : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", row.name(), row.unit(),
                    number(row.value()), number(row.baseline()), row.baselineName(), row.target()));
            csv.append(String.format(Locale.ROOT, "\"%s\",%s,%.3f,%.3f,\"%s\",\"%s\"%n", row.name(), row.unit(),
                    row.value(), row.baseline(), row.baselineName(), row.target()));
        }
        System.out.println();
        System.out.print(md);
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), md);
        Files.writeString(out.resolve("results.csv"), csv);
        System.out.println("written to " + out.resolve("results.md").toAbsolutePath() + " and results.csv");
    }

    private static String number(double value) {
        return Math.abs(value) >= 1000 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.1f", value);
    }

    private static double micros(long nanos) {
        return nanos / 1e3;
    }
}
