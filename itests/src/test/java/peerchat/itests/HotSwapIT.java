package peerchat.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration.ConfigurationAttribute;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import peerchat.api.chat.ChatCommand;
import peerchat.api.chat.ChatService;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;
import peerchat.api.server.RosterServer;
import peerchat.api.transport.MessageTransport;
import peerchat.testing.PeerProcess;

/**
 * Hot swap and drop-in plugins, proven in a real Felix: this framework is alice (features core,
 * server, shell; she hosts the roster server), and bob is a real headless distribution process on
 * loopback. While alice streams messages to bob, the UDP transport, the roster client and the roster
 * server bundles are each stopped and started, then updated to a rebuilt jar and refreshed: every
 * message alice's chat accepts is delivered exactly once, waits in her outbox or fails with a reason,
 * services re-bind, no component stays unsatisfied, nothing is logged at ERROR, and the roster is
 * whole again on both sides. A plugin jar dropped into the FileInstall folder takes effect on the
 * next message; deleting it restores the previous behaviour.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {

    private static final long TIMEOUT_SECONDS = 20;
    /** {@code HH:mm:ss FROM -> bob: TEXT}; FROM is alice, or her address in a moment bob's roster lacks her. */
    private static final Pattern RECEIVED = Pattern.compile(" \\S+ -> bob: (hs|drop)-(\\d+)(.*)$");

    @Inject
    private BundleContext context;
    @Inject
    private ServiceComponentRuntime scr;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private LogReaderService logReader;

    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final LogListener errorListener = entry -> {
        if (entry.getLogLevel() == LogLevel.ERROR) {
            errors.add(describe(entry));
        }
    };
    private final FrameworkListener frameworkErrors = event -> {
        if (event.getType() == FrameworkEvent.ERROR) {
            errors.add("framework error from " + event.getBundle().getSymbolicName() + ": " + event.getThrowable());
        }
    };
    private PeerProcess bob;
    private Path bobData;
    private int serverPort;
    private int alicePort;

    @Configuration
    public Option[] config() throws Exception {
        String data = System.getProperty("peerchat.itest.data") + "-hotswap";
        return options(
                junitBundles(),
                frameworkProperty("peerchat.data").value(data),
                frameworkProperty("felix.fileinstall.dir").value(pluginsDir().toString()),
                frameworkProperty("felix.fileinstall.poll").value("200"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("gosh.args").value("--nointeractive --noshutdown"),
                // the distribution's profile, as the launcher sets it (Felix's own fails without a console)
                frameworkProperty("gosh.home").value(System.getProperty("peerchat.home")),
                FeatureBundles.testSupport(),
                composite(FeatureBundles.ofDistribution().options("core", "server", "shell").toArray(Option[]::new)));
    }

    private static Path pluginsDir() {
        return Path.of(System.getProperty("peerchat.itest.data") + "-hotswap-plugins");
    }

    /** Alice: server on a free port, transport on a free loopback port, logged in by configuration; bob joins. */
    @Before
    public void setUp() throws Exception {
        logReader.addLogListener(errorListener);
        context.addFrameworkListener(frameworkErrors);
        Files.createDirectories(pluginsDir());
        serverPort = freeTcpPort();
        configure("peerchat.roster.server", Map.of("enabled", true, "host", "127.0.0.1", "port", serverPort));
        // configuration arrives asynchronously; if the client's automatic login comes before the server
        // listens on the new port, the client tries again with its backoff
        alicePort = freeUdpPort();
        configure("peerchat.transport.udp", Map.of("host", "127.0.0.1", "port", alicePort));
        configure("peerchat.roster.client", Map.of("name", "alice", "server", "127.0.0.1:" + serverPort,
                "reconnectInitialMillis", 100, "reconnectMaxMillis", 1000));
        bobData = Path.of(System.getProperty("peerchat.itest.data") + "-hotswap-bob-" + System.nanoTime());
        bob = startBob();
        waitUntil("alice sees alice and bob", () -> rosterNames().equals(List.of("alice", "bob")), TIMEOUT_SECONDS);
        bob.runUntil("chat:roster", lines -> lines.size() == 2, TIMEOUT_SECONDS);
    }

    @After
    public void tearDown() throws Exception {
        logReader.removeLogListener(errorListener);
        context.removeFrameworkListener(frameworkErrors);
        if (bob != null) {
            bob.close(); // killed: the next test's server (on a new port) starts without his session
        }
    }

    @Test
    public void bundlesAreSwappedUnderASteadyStreamWithoutLosingAMessage() throws Exception {
        Stream stream = new Stream();
        Thread sender = new Thread(stream, "hot-swap-stream");
        sender.start();
        List<String> timings = new ArrayList<>();
        try {
            pause(500); // steady state first
            for (String bsn : List.of("peerchat.transport.udp", "peerchat.roster.client", "peerchat.roster.server")) {
                Bundle bundle = bundle(bsn);
                bundle.stop();
                pause(300); // a few messages are sent while it is away
                long started = System.nanoTime();
                bundle.start();
                timings.add(bsn + " start: " + awaitRebound(bsn, started) + " ms");
                pause(500);

                String build = "rebuild-" + System.nanoTime();
                byte[] rebuiltJar = RebuiltJar.of(bundle, build);
                long updated = System.nanoTime();
                bundle.update(new ByteArrayInputStream(rebuiltJar));
                refresh(bundle);
                timings.add(bsn + " update: " + awaitRebound(bsn, updated) + " ms");
                assertEquals(bsn + " runs the rebuilt jar", build, bundle(bsn).getHeaders().get(RebuiltJar.HEADER));
                pause(500);
            }
        } finally {
            stream.stop();
            sender.join(TimeUnit.SECONDS.toMillis(10));
        }
        System.err.println("[HotSwapIT] re-bind times: " + timings);

        // every send completes: DELIVERED, or FAILED with a reason; none stays SENDING
        Map<Integer, DeliveryResult> outcomes = stream.outcomes(TimeUnit.SECONDS.toMillis(60));
        List<Integer> delivered = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        outcomes.forEach((n, result) -> {
            if (result.status() == DeliveryStatus.DELIVERED) {
                delivered.add(n);
            } else {
                // QUEUED: waits in the outbox (no transport a moment); FAILED: refused for good
                assertTrue("hs-" + n + ": " + result, result.status() == DeliveryStatus.FAILED
                        || result.status() == DeliveryStatus.QUEUED);
                assertTrue("hs-" + n + " not delivered without a reason", !result.reason().isBlank());
                failed.add("hs-" + n + ": " + result.reason());
            }
        });
        System.err.println("[HotSwapIT] sent " + outcomes.size() + ", delivered " + delivered.size() + ", failed "
                + failed + ", refused at once " + stream.refused);
        assertEquals("exceptions escaped from ChatService.send", List.of(), stream.escaped);
        assertTrue("too few messages accepted: " + outcomes.size(), outcomes.size() >= 50);

        // roster whole again on both sides
        waitUntil("alice sees alice and bob again", () -> rosterNames().equals(List.of("alice", "bob")),
                TIMEOUT_SECONDS);
        RosterClient roster = service(RosterClient.class);
        bob.runUntil("chat:roster", lines -> lines.size() == 2 && lines.stream().anyMatch(l -> l.startsWith("alice "))
                && lines.stream().anyMatch(l -> l.startsWith("bob ")), TIMEOUT_SECONDS);
        assertEquals(false, roster.stale());

        // bob has every delivered message exactly once, and nothing twice
        Map<Integer, Integer> received = receivedByBobOnce("hs", delivered);
        List<String> problems = new ArrayList<>();
        for (int n : delivered) {
            if (received.getOrDefault(n, 0) != 1) {
                problems.add("hs-" + n + " delivered but received " + received.getOrDefault(n, 0) + " times");
            }
        }
        received.forEach((n, count) -> {
            if (count > 1) {
                problems.add("hs-" + n + " received " + count + " times");
            }
        });
        assertEquals("lost or duplicated messages", List.of(), problems);
        assertNoUnsatisfiedComponents();
        assertEquals("errors logged during the swaps", List.of(), errors);
    }

    /**
     * "Delivered means stored", on the receiving side: while alice sends bob 1,000 messages, bob's
     * transport, chat core, message store and roster client bundles are each stopped and started 10
     * times and updated 10 times from his console. Every message alice's store shows delivered is in
     * bob's store exactly once and in order; the rest wait in alice's outbox and arrive afterwards.
     */
    @Test
    public void bobsBundlesAreSwappedUnderTrafficAndEveryDeliveredMessageIsStoredOnceInOrder() throws Exception {
        configure("peerchat.chat.core", Map.of("retrySeconds", 1L)); // alice's outbox tries again every second
        Map<String, String> ids = bobsBundleIds();
        List<String> swapped = List.of("peerchat.transport.udp", "peerchat.chat.core", "peerchat.store.sqlite",
                "peerchat.roster.client");
        Stream stream = new Stream("rx", 1_000, 35); // lasts about as long as the 80 swaps
        Thread sender = new Thread(stream, "receiver-swap-stream");
        sender.start();
        try {
            for (int round = 0; round < 10; round++) {
                for (String bsn : swapped) {
                    String id = ids.get(bsn);
                    bob.run("stop " + id, TIMEOUT_SECONDS);
                    pause(100);
                    bob.run("start " + id, TIMEOUT_SECONDS);
                    pause(100);
                    bob.run("update " + id, TIMEOUT_SECONDS);
                    pause(100);
                }
            }
        } finally {
            sender.join(TimeUnit.MINUTES.toMillis(5));
            stream.stop();
        }
        assertEquals("exceptions escaped from ChatService.send", List.of(), stream.escaped);
        Map<Integer, DeliveryResult> first = stream.outcomes(TimeUnit.SECONDS.toMillis(120));
        System.err.println("[HotSwapIT] receiver swaps: accepted " + first.size() + ", first outcomes "
                + first.values().stream().collect(java.util.stream.Collectors.groupingBy(DeliveryResult::status,
                        java.util.stream.Collectors.counting())) + ", refused at once " + stream.refused.size());
        assertTrue("too few messages accepted: " + first.size(), first.size() >= 900);

        // what alice saw delivered while bundles were swapped must already be at bob's, once
        ChatService chat = service(ChatService.class);
        List<Integer> deliveredDuringSwaps = numbers(chat, "rx", DeliveryStatus.DELIVERED);
        assertOnceInOrder(receivedByBobInOrder("rx"), deliveredDuringSwaps);

        // the rest waited in the outbox and arrives now: nothing stays queued, nothing fails
        waitUntil("alice's outbox is empty", () -> numbers(chat, "rx", null).size() == first.size()
                && numbers(chat, "rx", DeliveryStatus.DELIVERED).size() == first.size(), 180);
        List<Integer> all = numbers(chat, "rx", DeliveryStatus.DELIVERED);
        List<Integer> atBob = receivedByBobInOrder("rx");
        assertOnceInOrder(atBob, all);
        assertEquals("bob has exactly what alice sent", new java.util.TreeSet<>(all), new java.util.TreeSet<>(atBob));
        assertNoUnsatisfiedComponents();
        assertEquals("errors logged during the swaps", List.of(), errors);
    }

    /**
     * "Delivered means stored" across crashes: bob is killed with SIGKILL at 20 random moments while
     * alice sends him 5,000 messages, and started again on the same data directory. Every message
     * alice saw delivered is in bob's store exactly once afterwards, and the others arrive from her
     * outbox.
     */
    @Test
    public void bobIsKilledAt20RandomMomentsAndNoDeliveredMessageIsLostOrDuplicated() throws Exception {
        configure("peerchat.chat.core", Map.of("retrySeconds", 1L));
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        System.err.println("[HotSwapIT] kill moments seed " + seed);
        Stream stream = new Stream("kill", 5_000, 2);
        Thread sender = new Thread(stream, "kill-stream");
        sender.start();
        try {
            for (int kill = 0; kill < 20; kill++) {
                pause(200 + random.nextInt(1_000));
                bob.kill();
                bob = startBob();
            }
        } finally {
            sender.join(TimeUnit.MINUTES.toMillis(5));
            stream.stop();
        }
        assertEquals("exceptions escaped from ChatService.send", List.of(), stream.escaped);
        Map<Integer, DeliveryResult> first = stream.outcomes(TimeUnit.SECONDS.toMillis(120));
        ChatService chat = service(ChatService.class);
        List<Integer> deliveredBefore = numbers(chat, "kill", DeliveryStatus.DELIVERED);
        System.err.println("[HotSwapIT] kills: accepted " + first.size() + ", delivered while killing "
                + deliveredBefore.size() + ", refused at once " + stream.refused.size());
        assertOnceInOrder(receivedByBobInOrder("kill"), deliveredBefore);

        waitUntil("alice's outbox is empty", () -> numbers(chat, "kill", DeliveryStatus.DELIVERED).size()
                == first.size(), 180);
        List<Integer> atBob = receivedByBobInOrder("kill");
        assertOnceInOrder(atBob, numbers(chat, "kill", DeliveryStatus.DELIVERED));
        assertEquals(first.size(), atBob.size());
    }

    private PeerProcess startBob() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("peerchat.home"));
        return PeerProcess.start(home, "bob", "--connect", "127.0.0.1:" + serverPort, "--name", "bob", "--data",
                bobData.toString());
    }

    /** Every expected number occurs once in {@code received}, and {@code received} is in sending order. */
    private static void assertOnceInOrder(List<Integer> received, List<Integer> expected) {
        Map<Integer, Integer> counts = new HashMap<>();
        received.forEach(n -> counts.merge(n, 1, Integer::sum));
        List<String> problems = new ArrayList<>();
        for (int n : expected) {
            if (counts.getOrDefault(n, 0) != 1) {
                problems.add(n + " delivered but stored " + counts.getOrDefault(n, 0) + " times");
            }
        }
        for (int i = 1; i < received.size(); i++) {
            if (received.get(i) < received.get(i - 1)) {
                problems.add("out of order: " + received.get(i - 1) + " before " + received.get(i));
            }
        }
        assertEquals("lost, duplicated or reordered messages", List.of(), problems);
    }

    /** Alice's messages PREFIX-N to bob in her store, with that state (any state for null), by N. */
    private static List<Integer> numbers(ChatService chat, String prefix, DeliveryStatus state) {
        List<Integer> numbers = new ArrayList<>();
        for (var message : chat.history("bob", 5_000)) {
            if (message.outgoing() && message.text().startsWith(prefix + "-")
                    && (state == null || message.status() == state)) {
                numbers.add(Integer.parseInt(message.text().substring(prefix.length() + 1)));
            }
        }
        return numbers;
    }

    /** Bob's messages PREFIX-N from alice, in the order his store keeps them. */
    private List<Integer> receivedByBobInOrder(String prefix) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        for (String line : bob.run("chat:history alice 5000", TIMEOUT_SECONDS)) {
            Matcher m = Pattern.compile(" alice -> bob: " + prefix + "-(\\d+)$").matcher(line);
            if (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)));
            }
        }
        return numbers;
    }

    /** Bob's bundle ids by symbolic name, from his {@code lb -s}. */
    private Map<String, String> bobsBundleIds() throws Exception {
        Map<String, String> ids = new HashMap<>();
        for (String line : bob.run("lb -s", TIMEOUT_SECONDS)) {
            Matcher m = Pattern.compile("^\\s*(\\d+)\\|.*\\|\\s*([\\w.]+) \\(").matcher(line);
            if (m.find()) {
                ids.put(m.group(2), m.group(1));
            }
        }
        return ids;
    }

    @Test
    public void aNewUdpPortIsAnnouncedToPeers() throws Exception {
        int newPort = freeUdpPort();
        configure("peerchat.transport.udp", Map.of("host", "127.0.0.1", "port", newPort));
        waitUntil("the transport moved", () -> service(MessageTransport.class).localAddress().port() == newPort,
                TIMEOUT_SECONDS);
        bob.runUntil("chat:roster", lines -> lines.stream().anyMatch(l -> l.startsWith("alice 127.0.0.1:" + newPort + " ")),
                TIMEOUT_SECONDS);
        DeliveryResult result = service(ChatService.class).send("bob", "drop-1 after the move")
                .toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(DeliveryStatus.DELIVERED, result.status());
        assertEquals(Integer.valueOf(1), receivedByBobOnce("drop", List.of(1)).get(1));
        assertEquals("errors logged", List.of(), errors);
    }

    @Test
    public void aPluginDroppedInWhileChattingTakesEffectAndDeletingItRestoresTheOldBehaviour() throws Exception {
        ChatService chat = service(ChatService.class);
        assertEquals(DeliveryStatus.DELIVERED, chat.send("bob", "drop-1 before the plugin").toCompletableFuture()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status());
        try {
            chat.send("bob", "/me waves");
            fail("no /me command before the plugin");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().startsWith("unknown command /me"));
        }

        Path jar = Path.of(System.getProperty("peerchat.example.commands.jar"));
        Path dropped = pluginsDir().resolve(jar.getFileName());
        try {
            Files.copy(jar, dropped, StandardCopyOption.REPLACE_EXISTING);
            waitUntil("FileInstall starts the plugin and the chat core has its commands",
                    () -> command("me") != null && chatCoreCommands() == 2, TIMEOUT_SECONDS);
            assertEquals(DeliveryStatus.DELIVERED, chat.send("bob", "/me drop-2 waves").toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status());
            bob.runUntil("chat:history alice 50", lines -> lines.stream().anyMatch(l -> l.endsWith("alice -> bob: * alice drop-2 waves")),
                    TIMEOUT_SECONDS);

            // replacing the jar updates the bundle
            Bundle plugin = bundle("peerchat.example.commands");
            long before = plugin.getLastModified();
            Files.copy(jar, dropped, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(dropped, FileTime.from(Instant.now().plusSeconds(5)));
            waitUntil("FileInstall updates the plugin", () -> plugin.getLastModified() != before
                    && plugin.getState() == Bundle.ACTIVE && command("me") != null && chatCoreCommands() == 2,
                    TIMEOUT_SECONDS);
            assertEquals(DeliveryStatus.DELIVERED, chat.send("bob", "/me drop-3 is back").toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status());
        } finally {
            Files.deleteIfExists(dropped);
        }
        waitUntil("FileInstall uninstalls the plugin", () -> command("me") == null
                && bundleOrNull("peerchat.example.commands") == null && chatCoreCommands() == 0, TIMEOUT_SECONDS);
        try {
            chat.send("bob", "/me waves");
            fail("the /me command is gone with the plugin");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().startsWith("unknown command /me"));
        }
        assertEquals(DeliveryStatus.DELIVERED, chat.send("bob", "drop-4 after the plugin").toCompletableFuture()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).status());
        bob.runUntil("chat:history alice 50", lines -> lines.stream().anyMatch(l -> l.endsWith("drop-4 after the plugin")),
                TIMEOUT_SECONDS);
        assertNoUnsatisfiedComponents();
        assertEquals("errors logged", List.of(), errors);
    }

    // ---- the stream ----

    /** Sends PREFIX-1, PREFIX-2, ... to bob every few ms through whichever ChatService is there. */
    private final class Stream implements Runnable {
        private final String prefix;
        private final int limit;
        private final long intervalMillis;

        /** hs-1, hs-2, ... every 40 ms until stopped. */
        Stream() {
            this("hs", Integer.MAX_VALUE, 40);
        }

        Stream(String prefix, int limit, long intervalMillis) {
            this.prefix = prefix;
            this.limit = limit;
            this.intervalMillis = intervalMillis;
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<Integer, CompletableFuture<DeliveryResult>> accepted = Collections.synchronizedMap(new HashMap<>());
        private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
        private final List<String> escaped = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch done = new CountDownLatch(1);
        private final ServiceTracker<ChatService, ChatService> chats = new ServiceTracker<>(context, ChatService.class, null);

        @Override
        public void run() {
            int n = 0;
            chats.open();
            try {
                while (running.get() && n < limit) {
                    n++;
                    ChatService chat = chats.getService();
                    if (chat == null) {
                        refused.add(prefix + "-" + n + ": no chat service");
                    } else {
                        try {
                            accepted.put(n, chat.send("bob", prefix + "-" + n).toCompletableFuture());
                        } catch (IllegalStateException | IllegalArgumentException e) {
                            // explicit refusal, e.g. "not logged in" while the roster client is replaced
                            refused.add(prefix + "-" + n + ": " + e.getMessage());
                        } catch (RuntimeException | Error e) {
                            escaped.add(prefix + "-" + n + ": " + e);
                        }
                    }
                    Thread.sleep(intervalMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                chats.close();
                done.countDown();
            }
        }

        void stop() {
            running.set(false);
        }

        Map<Integer, DeliveryResult> outcomes(long timeoutMillis) throws Exception {
            done.await(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            Map<Integer, DeliveryResult> results = new HashMap<>();
            List<Integer> numbers;
            synchronized (accepted) {
                numbers = new ArrayList<>(accepted.keySet());
            }
            for (int n : numbers) {
                long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                try {
                    results.put(n, accepted.get(n).get(left, TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.TimeoutException e) {
                    fail(prefix + "-" + n + " has no outcome after " + timeoutMillis + " ms");
                }
            }
            return results;
        }
    }

    // ---- helpers ----

    /** Waits until the bundle's services are back and bound where they are used; returns the time taken. */
    private long awaitRebound(String bsn, long sinceNanos) throws InterruptedException {
        BooleanSupplier back = switch (bsn) {
            case "peerchat.transport.udp" -> () -> present(MessageTransport.class)
                    && bound("peerchat.chat.core.internal.ChatComponent", "Transport")
                    && bound("peerchat.roster.client.internal.RosterClientComponent", "Transport");
            case "peerchat.roster.client" -> () -> present(RosterClient.class)
                    && bound("peerchat.chat.core.internal.ChatComponent", "roster");
            case "peerchat.roster.server" -> () -> present(RosterServer.class) && service(RosterServer.class).info().running();
            default -> throw new IllegalArgumentException(bsn);
        };
        long deadline = sinceNanos + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!back.getAsBoolean() || !unsatisfiedComponents().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail(bsn + " did not come back: unsatisfied " + unsatisfiedComponents());
            }
            Thread.sleep(5);
        }
        // reported, not asserted: a shared CI machine may take a second on any step
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> refreshed.countDown());
        assertTrue("refresh of " + bundle.getSymbolicName(), refreshed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }

    private boolean present(Class<?> type) {
        return context.getServiceReference(type) != null;
    }

    private <T> T service(Class<T> type) {
        var reference = context.getServiceReference(type);
        if (reference == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service");
        }
        return context.getService(reference);
    }

    private ChatCommand command(String name) {
        try {
            for (var reference : context.getServiceReferences(ChatCommand.class, null)) {
                ChatCommand command = context.getService(reference);
                if (command != null && command.name().equals(name)) {
                    return command;
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return null;
    }

    /** How many ChatCommand services the chat core has bound (the registry may show one a moment earlier). */
    private int chatCoreCommands() {
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (description.name.equals("peerchat.chat.core.internal.ChatComponent")) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    for (SatisfiedReferenceDTO satisfied : configuration.satisfiedReferences) {
                        if (satisfied.name.equals("commands")) {
                            return satisfied.boundServices.length;
                        }
                    }
                }
            }
        }
        return -1;
    }

    private boolean bound(String component, String reference) {
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.name.equals(component)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                for (SatisfiedReferenceDTO satisfied : configuration.satisfiedReferences) {
                    if (satisfied.name.equals(reference) && satisfied.boundServices.length == 1) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private List<String> unsatisfiedComponents() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.bundle.symbolicName.startsWith("peerchat.")) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE
                        && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    problems.add(description.name + " state " + configuration.state + " unsatisfied "
                            + Arrays.stream(configuration.unsatisfiedReferences).map(r -> r.name).toList());
                }
            }
        }
        return problems;
    }

    private void assertNoUnsatisfiedComponents() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!unsatisfiedComponents().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("unsatisfied components", List.of(), unsatisfiedComponents());
    }

    private List<String> rosterNames() {
        var reference = context.getServiceReference(RosterClient.class);
        if (reference == null) {
            return List.of();
        }
        RosterClient client = context.getService(reference);
        return client == null ? List.of() : client.roster().stream().map(RosterEntry::name).toList();
    }

    /** Like {@link #receivedByBob}, waiting a little for bob's chat to record what his transport acknowledged. */
    private Map<Integer, Integer> receivedByBobOnce(String prefix, List<Integer> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<Integer, Integer> counts = receivedByBob(prefix);
        while (!counts.keySet().containsAll(expected) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            counts = receivedByBob(prefix);
        }
        return counts;
    }

    /** Bob's history with alice: message number to how often it arrived. */
    private Map<Integer, Integer> receivedByBob(String prefix) throws Exception {
        Map<Integer, Integer> counts = new HashMap<>();
        List<String> lines = new ArrayList<>(bob.run("chat:history alice 5000", TIMEOUT_SECONDS));
        // recorded under her address if it arrived while bob's roster did not list her (she logged in again)
        lines.addAll(bob.run("chat:history 127.0.0.1:" + alicePort + " 5000", TIMEOUT_SECONDS));
        for (String line : lines) {
            Matcher m = RECEIVED.matcher(line);
            if (m.find() && m.group(1).equals(prefix)) {
                counts.merge(Integer.parseInt(m.group(2)), 1, Integer::sum);
            }
        }
        return counts;
    }

    private Bundle bundle(String bsn) {
        Bundle bundle = bundleOrNull(bsn);
        if (bundle == null) {
            throw new AssertionError("no bundle " + bsn);
        }
        return bundle;
    }

    private Bundle bundleOrNull(String bsn) {
        for (Bundle bundle : context.getBundles()) {
            if (bsn.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private void configure(String pid, Map<String, Object> values) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>(values);
        c.update(properties);
        if (c.getAttributes().contains(ConfigurationAttribute.READ_ONLY)) {
            throw new AssertionError(pid + " is read-only");
        }
    }

    private static void waitUntil(String what, BooleanSupplier condition, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + seconds + " s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String describe(LogEntry entry) {
        return entry.getBundle().getSymbolicName() + " " + entry.getLoggerName() + ": " + entry.getMessage()
                + (entry.getException() != null ? " " + entry.getException() : "");
    }
}
