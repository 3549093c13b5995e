package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;

/** Sending many messages and checking every receipt, for the tests that exchange thousands. */
final class Exchanges {

    private Exchanges() {
    }

    /** Sends each text in order; the receipts go to {@code results} in the same order. */
    static void sendAll(UdpTransportEngine from, PeerAddress to, List<String> texts,
            List<CompletableFuture<DeliveryResult>> results) {
        for (String text : texts) {
            results.add(from.send(to, text).toCompletableFuture());
        }
    }

    /** Every receipt DELIVERED, each within {@code waitSeconds}; the first other one fails with its index. */
    static void assertAllDelivered(List<CompletableFuture<DeliveryResult>> results, long waitSeconds)
            throws Exception {
        for (int i = 0; i < results.size(); i++) {
            DeliveryResult result = results.get(i).get(waitSeconds, TimeUnit.SECONDS);
            assertEquals("message " + i + ": " + result, DeliveryStatus.DELIVERED, result.status());
        }
    }
}
