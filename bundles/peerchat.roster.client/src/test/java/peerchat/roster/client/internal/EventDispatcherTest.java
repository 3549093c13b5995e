package peerchat.roster.client.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import peerchat.api.dto.RosterEvent;
import peerchat.api.dto.RosterEvent.Kind;
import peerchat.api.roster.RosterListener;

public class EventDispatcherTest {

    @Test
    public void everyListenerGetsEveryEventInOrderOnOneThreadEvenWhenAnotherThrows() throws Exception {
        RecordingLog log = new RecordingLog();
        int count = 200;
        CountDownLatch done = new CountDownLatch(count);
        List<RosterEvent> received = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        RosterListener failing = event -> {
            throw new IllegalStateException("listener bug");
        };
        RosterListener recording = event -> {
            received.add(event);
            threads.add(Thread.currentThread().getName());
            done.countDown();
        };
        List<RosterEvent> sent = new ArrayList<>();
        try (EventDispatcher dispatcher = new EventDispatcher(log, () -> List.of(failing, recording))) {
            for (int i = 0; i < count; i++) {
                RosterEvent event = new RosterEvent(i % 2 == 0 ? Kind.JOINED : Kind.LEFT, null, List.of());
                sent.add(event);
                dispatcher.dispatch(event);
            }
            assertTrue("all events delivered within 5 s", done.await(5, TimeUnit.SECONDS));
        }
        for (int i = 0; i < count; i++) {
            assertTrue("event " + i + " in order", sent.get(i) == received.get(i));
        }
        assertEquals(List.of("peerchat-roster-events"), threads.stream().distinct().toList());
        assertEquals(count, log.lines.stream().filter(line -> line.startsWith("ERROR roster listener")).count());
    }

    @Test
    public void noListenersIsFine() throws Exception {
        RecordingLog log = new RecordingLog();
        CountDownLatch asked = new CountDownLatch(1);
        try (EventDispatcher dispatcher = new EventDispatcher(log, () -> {
            asked.countDown();
            return null;
        })) {
            dispatcher.dispatch(new RosterEvent(Kind.DISCONNECTED, null, List.of()));
            assertTrue(asked.await(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), log.lines);
    }

    @Test
    public void eventsAfterCloseAreDroppedQuietly() {
        RecordingLog log = new RecordingLog();
        EventDispatcher dispatcher = new EventDispatcher(log, List::of);
        dispatcher.close();
        dispatcher.dispatch(new RosterEvent(Kind.SNAPSHOT, null, List.of()));
        assertTrue(log.has("DEBUG roster event SNAPSHOT dropped"));
    }
}
