package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.Test;

public class MainThreadExecutorTest {

    @Test
    public void runsTasksOnTheCallingThreadInOrderUntilStopped() throws InterruptedException {
        List<String> problems = new ArrayList<>();
        MainThreadExecutor executor = new MainThreadExecutor(problem -> problems.add(problem.getMessage()));
        List<String> ran = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        executor.execute(() -> ran.add("one " + (Thread.currentThread() == caller)));
        executor.execute(() -> {
            throw new IllegalStateException("boom");
        });
        executor.execute(() -> {
            ran.add("two");
            stop.set(true);
        });
        executor.runUntil(stop::get);
        assertEquals(List.of("one true", "two"), ran);
        assertEquals("a failing task is reported and the loop goes on", List.of("boom"), problems);
        assertThrows(RejectedExecutionException.class, () -> executor.execute(() -> ran.add("late")));
    }
}
