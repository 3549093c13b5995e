package peerchat.roster.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.roster.client.internal.ClientSettings;
import peerchat.roster.client.internal.RosterClientEngine;
import peerchat.roster.protocol.Frame;
import peerchat.roster.protocol.FrameEncoder;

/**
 * Hundreds of abusive connections (random bytes, truncated frames, huge length prefixes, floods,
 * half-open sockets, legacy garbage) while 50 well-behaved clients log in and out and change
 * presence. The server must stay up and every well-behaved roster must be right at the end.
 * Seeded, loopback only, bounded in count and time (well under a minute).
 */
public class RosterAbuseTest {

    private static final int GOOD_CLIENTS = 50;
    private static final int ABUSERS = 300;
    private static final long SEED = 20261125L;

    private final RecordingLog log = new RecordingLog();
    private final List<RosterClientEngine> clients = new ArrayList<>();
    private final List<Socket> halfOpen = Collections.synchronizedList(new ArrayList<>());
    private RosterServerEngine server;
    private int port;

    @Before
    public void startServer() throws IOException {
        // all connections come from 127.0.0.1, so no per-IP or total limit here; the rest as shipped
        server = new RosterServerEngine(log, new ServerSettings(16 * 1024, 1024 * 1024, Duration.ofSeconds(2),
                Duration.ofSeconds(1)).withConnectionLimits(0, 0));
        port = server.start("127.0.0.1", 0).address().port();
    }

    @After
    public void stopEverything() throws IOException {
        for (RosterClientEngine client : clients) {
            client.close();
        }
        synchronized (halfOpen) {
            for (Socket socket : halfOpen) {
                socket.close();
            }
        }
        server.stop();
    }

    @Test
    public void serverSurvivesAbuseAndEveryGoodRosterIsRightAtTheEnd() throws Exception {
        long started = System.nanoTime();
        ExecutorService abusePool = Executors.newFixedThreadPool(16);
        ExecutorService goodPool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> abuse = new ArrayList<>();
            for (int i = 0; i < ABUSERS; i++) {
                long seed = SEED + i;
                int kind = i % 8; // every kind equally often
                abuse.add(abusePool.submit(() -> {
                    abuse(kind, new Random(seed));
                    return null;
                }));
            }
            Map<String, Presence> finalPresence = new ConcurrentHashMap<>();
            List<Future<?>> good = new ArrayList<>();
            for (int i = 0; i < GOOD_CLIENTS; i++) {
                String name = String.format("good%02d", i);
                RosterClientEngine client = new RosterClientEngine(log,
                        new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(5)), udpPort(7100 + i),
                        event -> { }, new PeerAddress("127.0.0.1", port));
                clients.add(client);
                long seed = SEED * 31 + i;
                good.add(goodPool.submit(() -> {
                    behave(client, name, new Random(seed), finalPresence);
                    return null;
                }));
            }
            for (Future<?> f : good) {
                f.get(40, TimeUnit.SECONDS);
            }
            for (Future<?> f : abuse) {
                f.get(20, TimeUnit.SECONDS);
            }
            synchronized (halfOpen) {
                for (Socket socket : halfOpen) {
                    socket.close();
                }
                halfOpen.clear();
            }

            assertTrue("server still running", server.info().running());
            Map<String, Presence> expected = new TreeMap<>(finalPresence);
            assertEquals(GOOD_CLIENTS, expected.size());
            boolean settled = waitUntil(Duration.ofSeconds(10), () -> clients.stream().allMatch(
                    c -> c.state() == ConnectionState.ONLINE && view(c.roster()).equals(expected)));
            for (RosterClientEngine client : clients) {
                assertEquals("roster of " + client.userName().orElse("?"), expected, view(client.roster()));
            }
            assertTrue(settled);
            assertTrue(waitUntil(Duration.ofSeconds(5),
                    () -> server.info().clients().equals(new ArrayList<>(expected.keySet()))));
            assertEquals(new ArrayList<>(expected.keySet()), server.info().clients());
            Map<String, Long> rejects = server.info().rejects();
            assertTrue(rejects.toString(), rejects.getOrDefault("protocol_error", 0L) > 0);
            assertTrue(rejects.toString(), rejects.getOrDefault("frame_too_large", 0L) > 0);
            assertTrue(rejects.toString(), rejects.getOrDefault("too_many_requests", 0L) > 0);
            assertTrue("took " + (System.nanoTime() - started) / 1_000_000 + " ms",
                    System.nanoTime() - started < TimeUnit.SECONDS.toNanos(55));
        } finally {
            abusePool.shutdownNow();
            goodPool.shutdownNow();
        }
    }

    /** Logs in, changes presence, logs out and in again a few times; ends logged in with a known presence. */
    private static void behave(RosterClientEngine client, String name, Random random, Map<String, Presence> result)
            throws Exception {
        Presence[] states = Presence.values();
        for (int round = 0; round < 3; round++) {
            client.login(name, null).get(10, TimeUnit.SECONDS);
            for (int change = 0; change < 1 + random.nextInt(3); change++) {
                Presence p = states[random.nextInt(states.length)];
                client.setPresence(p, "round " + round).get(10, TimeUnit.SECONDS);
            }
            if (round < 2) {
                client.logout().get(10, TimeUnit.SECONDS);
            }
        }
        Presence last = states[random.nextInt(states.length)];
        client.setPresence(last, "final").get(10, TimeUnit.SECONDS);
        result.put(name, last);
    }

    private static Map<String, Presence> view(List<RosterEntry> roster) {
        Map<String, Presence> view = new TreeMap<>();
        for (RosterEntry entry : roster) {
            view.put(entry.name(), "final".equals(entry.status()) ? entry.presence() : null);
        }
        return view;
    }

    private static peerchat.roster.client.internal.UdpPortSource udpPort(int port) {
        return () -> OptionalInt.of(port);
    }

    /** One abusive connection; each kind ends within about two seconds (half-open ones stay open). */
    private void abuse(int kind, Random random) throws IOException, InterruptedException {
        FrameEncoder encoder = new FrameEncoder();
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            switch (kind) {
                case 0 -> { // random bytes
                    byte[] noise = new byte[1 + random.nextInt(4000)];
                    random.nextBytes(noise);
                    out.write(noise);
                }
                case 1 -> { // random bytes behind a plausible length prefix
                    byte[] noise = new byte[4 + random.nextInt(200)];
                    random.nextBytes(noise);
                    noise[0] = 0;
                    noise[1] = 0;
                    noise[2] = 0;
                    noise[3] = (byte) (noise.length - 4);
                    out.write(noise);
                }
                case 2 -> { // truncated frame, then close
                    byte[] hello = encoder.encodeToArray(new Frame.Hello("trunc" + random.nextInt(1000), 9000));
                    out.write(hello, 0, 1 + random.nextInt(hello.length - 1));
                }
                case 3 -> // huge length prefix
                    out.write(ByteBuffer.allocate(8).putInt(0x7FFFFFFF - random.nextInt(1000)).putInt(1).array());
                case 4 -> { // logs in, then floods pings far beyond the rate
                    out.write(encoder.encodeToArray(new Frame.Hello("flood" + random.nextInt(1_000_000), 9001)));
                    byte[] ping = encoder.encodeToArray(new Frame.Ping(1));
                    ByteBuffer many = ByteBuffer.allocate(ping.length * 500);
                    for (int i = 0; i < 500; i++) {
                        many.put(ping);
                    }
                    out.write(many.array());
                }
                case 5 -> { // half-open: connects and says nothing, until the end of the test
                    halfOpen.add(socket);
                    return;
                }
                case 6 -> { // legacy garbage: a login line that never ends
                    byte[] line = new byte[2000];
                    java.util.Arrays.fill(line, (byte) 'x');
                    out.write("login-".getBytes());
                    out.write(line);
                }
                default -> { // a length prefix cut in the middle, then silence until the server gives up
                    out.write(new byte[] {0, 0});
                }
            }
            out.flush();
            drain(socket);
        } catch (IOException e) {
            // the server closed first (reset, broken pipe): exactly what abuse should get
        } finally {
            if (!halfOpen.contains(socket)) {
                socket.close();
            }
        }
    }

    /** Reads until the server closes or two seconds pass. */
    private static void drain(Socket socket) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (socket.getInputStream().read(buffer) >= 0) {
                // discard
            }
        } catch (java.net.SocketTimeoutException e) {
            // the server did not close within 2 s: the test moves on and closes
        }
    }

    private static boolean waitUntil(Duration limit, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - end < 0) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
