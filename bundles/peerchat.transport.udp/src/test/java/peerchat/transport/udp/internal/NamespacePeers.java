package peerchat.transport.udp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.TransportStats;

/**
 * The child process of {@link NamespaceFaultSmokeTest}: runs inside a network namespace where netem
 * or nftables rules lose, duplicate (netem also reorders and delays) datagrams, exchanges messages
 * both ways between two engines on real kernel sockets and exits 0 only if every message arrived
 * exactly once, in order, and every send completed DELIVERED. Prints one line with the counters.
 */
public final class NamespacePeers {

    private NamespacePeers() {
    }

    public static void main(String[] args) throws Exception {
        int portA = Integer.parseInt(args[0]);
        int portB = Integer.parseInt(args[1]);
        int messages = Integer.parseInt(args[2]);
        TransportSettings settings = TransportSettings.defaults().withDeliveryTimeout(120_000);
        RecordingListener atA = new RecordingListener();
        RecordingListener atB = new RecordingListener();
        try (UdpTransportEngine a = new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", portA), settings,
                List.of(atA), new TestLogger().logger);
                UdpTransportEngine b = new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", portB), settings,
                        List.of(atB), new TestLogger().logger)) {
            a.keeper(Keepers.ALL);
            b.keeper(Keepers.ALL);
            a.start();
            b.start();
            List<String> fromA = texts("A", messages, new Random(1));
            List<String> fromB = texts("B", messages, new Random(2));
            List<CompletableFuture<DeliveryResult>> results = new ArrayList<>();
            for (int i = 0; i < messages; i++) {
                results.add(a.send(b.localAddress(), fromA.get(i)).toCompletableFuture());
                results.add(b.send(a.localAddress(), fromB.get(i)).toCompletableFuture());
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
            long undelivered = results.stream().map(CompletableFuture::join)
                    .filter(r -> r.status() != DeliveryStatus.DELIVERED).count();
            Await.until("all messages received", 30_000,
                    () -> atA.messages.size() >= messages && atB.messages.size() >= messages);
            boolean exact = fromA.equals(atB.texts()) && fromB.equals(atA.texts());
            TransportStats sa = a.stats();
            TransportStats sb = b.stats();
            System.out.printf("%s undelivered=%d retransmitted=%d duplicatesDropped=%d malformed=%d%n",
                    exact && undelivered == 0 ? "OK" : "FAILED", undelivered,
                    sa.packetsRetransmitted() + sb.packetsRetransmitted(),
                    sa.duplicatesDropped() + sb.duplicatesDropped(), sa.malformedDropped() + sb.malformedDropped());
            System.exit(exact && undelivered == 0 ? 0 : 1);
        }
    }

    private static List<String> texts(String sender, int count, Random random) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int size = random.nextInt(20) == 0 ? 2_000 + random.nextInt(50_000) : 10 + random.nextInt(300);
            texts.add((sender + i + ":" + "k".repeat(size)).substring(0, size));
        }
        return texts;
    }

}
