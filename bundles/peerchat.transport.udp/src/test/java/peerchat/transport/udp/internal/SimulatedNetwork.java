package peerchat.transport.udp.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lossy network inside the JVM: endpoints are {@link DatagramIo}s; every datagram passes one
 * seeded random generator that decides loss, duplication, extra delay for reordering and jitter.
 * Decisions are a pure function of the seed and the order of sends; thread scheduling still varies,
 * so runs are reproducible in their fault mix, not in exact timing.
 */
final class SimulatedNetwork implements AutoCloseable {

    record Faults(double loss, double duplication, double reordering, long maxJitterMicros) {
    }

    private record Datagram(byte[] bytes, InetSocketAddress from) {
    }

    private static final Datagram CLOSED = new Datagram(new byte[0], null);

    private final Random random;
    private final Faults faults;
    private final Map<InetSocketAddress, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor wire = new ScheduledThreadPoolExecutor(1,
            NamedThreads.named("simulated-network"));
    final AtomicLong sent = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();

    SimulatedNetwork(long seed, Faults faults) {
        this.random = new Random(seed);
        this.faults = faults;
    }

    Endpoint endpoint(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        Endpoint endpoint = new Endpoint(address);
        endpoints.put(address, endpoint);
        return endpoint;
    }

    private void transmit(byte[] bytes, InetSocketAddress from, InetSocketAddress to) {
        sent.incrementAndGet();
        long[] delays;
        synchronized (random) {
            if (random.nextDouble() < faults.loss()) {
                dropped.incrementAndGet();
                return;
            }
            boolean duplicate = random.nextDouble() < faults.duplication();
            delays = new long[duplicate ? 2 : 1];
            for (int i = 0; i < delays.length; i++) {
                long jitter = faults.maxJitterMicros() == 0 ? 0 : random.nextLong(faults.maxJitterMicros() + 1);
                if (random.nextDouble() < faults.reordering()) {
                    // Held back past the jitter range: later datagrams overtake it.
                    jitter += faults.maxJitterMicros() + random.nextLong(faults.maxJitterMicros() + 1);
                    reordered.incrementAndGet();
                }
                delays[i] = jitter;
            }
            if (duplicate) {
                duplicated.incrementAndGet();
            }
        }
        Datagram datagram = new Datagram(bytes, from);
        for (long delay : delays) {
            Endpoint target = endpoints.get(to);
            if (target == null) {
                continue; // nobody there: lost, as UDP would be
            }
            if (delay == 0) {
                target.inbox.add(datagram);
            } else {
                wire.schedule(() -> target.inbox.add(datagram), delay, TimeUnit.MICROSECONDS);
            }
        }
    }

    @Override
    public void close() {
        wire.shutdownNow();
        for (Endpoint endpoint : endpoints.values()) {
            endpoint.close();
        }
    }

    /** One address on the simulated network. */
    final class Endpoint implements DatagramIo {
        private final InetSocketAddress address;
        private final LinkedBlockingQueue<Datagram> inbox = new LinkedBlockingQueue<>();
        private volatile boolean closed;

        private Endpoint(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            byte[] bytes = new byte[datagram.remaining()];
            datagram.get(bytes);
            transmit(bytes, address, to);
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) throws IOException {
            try {
                return deliver(inbox.take(), into);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClosedChannelException();
            }
        }

        @Override
        public InetSocketAddress poll(ByteBuffer into) throws IOException {
            Datagram datagram = inbox.poll();
            return datagram == null ? null : deliver(datagram, into);
        }

        private InetSocketAddress deliver(Datagram datagram, ByteBuffer into) throws ClosedChannelException {
            if (datagram == CLOSED || closed) {
                inbox.add(CLOSED);
                throw new ClosedChannelException();
            }
            into.put(datagram.bytes(), 0, Math.min(datagram.bytes().length, into.remaining()));
            return datagram.from();
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public void close() {
            closed = true;
            endpoints.remove(address, this);
            inbox.add(CLOSED);
        }
    }
}
