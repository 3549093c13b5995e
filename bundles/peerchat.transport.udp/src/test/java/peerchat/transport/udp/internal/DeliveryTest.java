package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.After;
import org.junit.Test;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageListener;

/**
 * Who calls the listeners, in which order, and what happens when they are slow or stuck. Time is a
 * hand-moved clock that listeners advance to play slow, so no outcome depends on machine speed.
 */
public class DeliveryTest {

    private static final String DELIVERY_THREAD = "test-delivery";
    private static final PeerAddress FROM = new PeerAddress("127.0.0.1", 4000);

    /** What a listener saw: the text and the thread that called it. */
    private record Call(String text, String thread) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong backlog = new AtomicLong();
    private final TestLogger log = new TestLogger();
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Delivery delivery = new Delivery(listeners, DELIVERY_THREAD, new TransportCounters(), log.logger,
            clock::get);

    @After
    public void stop() {
        delivery.stop(1000);
    }

    private void listen(MessageListener extra) {
        listeners.add(message -> calls.add(new Call(message.text(), Thread.currentThread().getName())));
        if (extra != null) {
            listeners.add(extra);
        }
    }

    private void offer(String... texts) {
        for (String text : texts) {
            backlog.addAndGet(10);
            delivery.offer(new IncomingMessage(FROM, text, Instant.now(), false), backlog, 10);
        }
    }

    private List<String> texts() {
        return calls.stream().map(Call::text).toList();
    }

    private static List<String> numbered(int count) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            texts.add("m" + i);
        }
        return texts;
    }

    @Test
    public void fastListenersAreCalledOnTheThreadAboutToWait() {
        listen(null);
        offer("one", "two", "three");
        delivery.deliverBeforeWaiting();
        assertEquals(List.of("one", "two", "three"), texts());
        String me = Thread.currentThread().getName();
        assertTrue(calls.stream().allMatch(call -> call.thread().equals(me)));
        assertEquals("delivered messages release their window share", 0, backlog.get());
    }

    @Test
    public void afterASlowCallTheDeliveryThreadTakesOverAndOrderIsKept() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        listen(message -> {
            if (first.getAndSet(false)) {
                clock.addAndGet(Delivery.SLOW_CALL_NANOS + 1);
            }
        });
        offer("slow", "second");
        delivery.deliverBeforeWaiting();
        offer("third");
        delivery.deliverBeforeWaiting();
        Await.until("three messages", 5000, () -> calls.size() == 3);
        assertEquals(List.of("slow", "second", "third"), texts());
        assertEquals(Thread.currentThread().getName(), calls.get(0).thread());
        assertEquals("after a slow call the rest goes to the delivery thread", DELIVERY_THREAD,
                calls.get(1).thread());
        assertEquals(DELIVERY_THREAD, calls.get(2).thread());
        Await.until("window released", 5000, () -> backlog.get() == 0);
    }

    @Test
    public void aTurnEndsAfterItsTimeAndTheRestFollowsInOrder() throws Exception {
        listen(message -> clock.addAndGet(Delivery.TURN_NANOS / 4)); // fast calls, but the turn runs out
        List<String> sent = numbered(40);
        offer(sent.toArray(String[]::new));
        delivery.deliverBeforeWaiting();
        Await.until("40 messages", 10_000, () -> calls.size() == 40);
        assertEquals(sent, texts());
        assertEquals("the first message went on the receive thread's turn", Thread.currentThread().getName(),
                calls.get(0).thread());
        String me = Thread.currentThread().getName();
        assertEquals("a turn ends after TURN_NANOS: 5 calls", 5, calls.stream().filter(c -> c.thread().equals(me))
                .count());
        assertEquals("the delivery thread did the rest", DELIVERY_THREAD, calls.get(39).thread());
    }

    @Test
    public void aStuckListenerIsReportedAndTakeOverIsAtomicWithTheTurnsEnd() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        listen(message -> {
            if (message.text().equals("stuck")) {
                await(release);
            }
        });
        offer("stuck");
        Thread receiver = new Thread(delivery::deliverBeforeWaiting, "test-receive");
        receiver.start();
        Await.until("the listener call", 5000, () -> calls.size() == 1);
        assertEquals("not a stall yet", 0, delivery.stalledSince(clock.get() + Delivery.STALL_NANOS));
        long since = delivery.stalledSince(clock.get() + Delivery.STALL_NANOS + 1);
        assertNotEquals("a stall", 0, since);
        AtomicBoolean tookOver = new AtomicBoolean();
        assertTrue(delivery.takeOverIfStillStalled(since, () -> tookOver.set(true)));
        assertTrue(tookOver.get());
        assertEquals("one take-over per stall", 0, delivery.stalledSince(clock.get() + Delivery.STALL_NANOS + 1));
        assertFalse(delivery.takeOverIfStillStalled(since, () -> tookOver.set(false)));

        offer("after");
        delivery.deliverBeforeWaiting(); // turns are paused after a stall: this hands over, never blocks
        assertEquals("nothing overtakes the stuck message", List.of("stuck"), texts());
        release.countDown();
        receiver.join(5000);
        Await.until("the message after", 5000, () -> calls.size() == 2);
        assertEquals(List.of("stuck", "after"), texts());
        assertEquals(DELIVERY_THREAD, calls.get(1).thread());
        assertFalse("the turn is over: no take-over any more",
                delivery.takeOverIfStillStalled(since, () -> tookOver.set(false)));
        assertTrue(tookOver.get());
    }

    @Test
    public void stopDeliversWhatIsQueuedAndCountsWhatItCannot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        listen(message -> {
            if (message.text().equals("block")) {
                await(release);
            }
        });
        offer("a", "b");
        assertEquals(0, delivery.stop(5000));
        assertEquals(List.of("a", "b"), texts());

        Delivery blocked = new Delivery(listeners, "test-blocked", new TransportCounters(), log.logger, clock::get);
        AtomicLong share = new AtomicLong(30);
        for (String text : List.of("block", "x", "y")) {
            blocked.offer(new IncomingMessage(FROM, text, Instant.now(), false), share, 10);
        }
        Thread stopper = new Thread(() -> assertEquals(2, blocked.stop(200)));
        stopper.start();
        stopper.join(5000);
        release.countDown();
        Await.until("window released", 5000, () -> share.get() == 0);
        assertNotEquals("the blocked message reached its listener", -1, texts().indexOf("block"));
    }

    @Test
    public void aThrowingListenerDoesNotCostTheOthersTheirMessage() {
        listeners.add(message -> {
            throw new IllegalStateException("broken plugin");
        });
        listen(null);
        offer("hello");
        delivery.deliverBeforeWaiting();
        assertEquals(List.of("hello"), texts());
        assertEquals(1, log.count("ERROR", "broken plugin"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
