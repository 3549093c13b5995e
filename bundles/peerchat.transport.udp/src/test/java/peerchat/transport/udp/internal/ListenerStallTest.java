package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.transport.MessageListener;

/**
 * A listener that blocks must not stop the transport: over real UDP on 127.0.0.1, receipts keep
 * coming while it blocks (a new receive thread took over), and once it returns every message
 * reaches the listeners exactly once, in order.
 */
public class ListenerStallTest {

    private final TestLogger logA = new TestLogger();
    private final TestLogger logB = new TestLogger();
    private final List<UdpTransportEngine> engines = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @After
    public void close() {
        release.countDown();
        engines.forEach(UdpTransportEngine::close);
    }

    private UdpTransportEngine engine(List<MessageListener> listeners, TestLogger log) throws Exception {
        UdpTransportEngine engine = Keepers.keepingAll(new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0),
                TransportSettings.defaults(), listeners, log.logger));
        engines.add(engine);
        engine.start();
        return engine;
    }

    @Test
    public void receiptsKeepComingWhileAListenerBlocksAndNothingIsLostOrReordered() throws Exception {
        RecordingListener recorder = new RecordingListener();
        MessageListener blocking = message -> {
            if (message.text().equals("block")) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        UdpTransportEngine a = engine(List.of(), logA);
        UdpTransportEngine b = engine(List.of(recorder, blocking), logB);

        assertEquals(DeliveryStatus.DELIVERED, a.send(b.localAddress(), "block").toCompletableFuture()
                .get(10, TimeUnit.SECONDS).status());
        Await.until("the blocking listener call", 10_000, () -> recorder.messages.size() == 1);
        List<CompletableFuture<DeliveryResult>> receipts = new ArrayList<>();
        List<String> expected = new ArrayList<>(List.of("block"));
        for (int i = 0; i < 50; i++) {
            expected.add("after " + i);
            receipts.add(a.send(b.localAddress(), "after " + i).toCompletableFuture());
        }
        for (CompletableFuture<DeliveryResult> receipt : receipts) {
            assertEquals("acknowledged although a listener is stuck", DeliveryStatus.DELIVERED,
                    receipt.get(10, TimeUnit.SECONDS).status());
        }
        assertEquals("nothing overtakes the message the listener is stuck on", 1, recorder.messages.size());
        assertEquals(1, logB.count("WARN", "has been inside a message listener"));
        String port = String.valueOf(b.localAddress().port());
        assertTrue("a second receive thread runs", Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("peerchat-udp-" + port + "-receive-2")));

        release.countDown();
        Await.until("all 51 messages", 10_000, () -> recorder.messages.size() == 51);
        assertEquals(expected, recorder.texts());
        Thread.sleep(100);
        assertEquals("exactly once", 51, recorder.messages.size());
        assertTrue(recorder.messages.stream().noneMatch(IncomingMessage::plain));

        // And the transport still works both ways afterwards.
        assertEquals(DeliveryStatus.DELIVERED, a.send(b.localAddress(), "later").toCompletableFuture()
                .get(10, TimeUnit.SECONDS).status());
        Await.until("the later message", 10_000, () -> recorder.messages.size() == 52);
    }
}
