package peerchat.chat.core.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Calls plugin code on a worker thread and waits at most {@code timeout}: one that throws or takes
 * longer is skipped and reported, and while a timed-out call is still running the same plugin is
 * skipped at once, so a hung plugin holds one thread, not one per call.
 */
final class TimedCalls implements AutoCloseable {

    /** A plugin's answer (may be null), or what went wrong. */
    record Answer<T>(T value, String problem) {
        static <T> Answer<T> failed(String problem) {
            return new Answer<>(null, problem);
        }
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ProblemLog problems;
    private final Duration timeout;
    private final ExecutorService workers;
    /** Plugins whose timed-out call still runs. */
    private final Map<Object, CompletableFuture<Void>> hung = new ConcurrentHashMap<>();

    TimedCalls(String threadPrefix, ProblemLog problems, Duration timeout) {
        this.problems = problems;
        this.timeout = timeout;
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread t = new Thread(runnable, threadPrefix + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Duration timeout() {
        return timeout;
    }

    /** Calls a plugin with the timeout; a problem is reported to the log here, naming {@code what}. */
    <T> Answer<T> call(Object plugin, String what, Callable<T> task) {
        CompletableFuture<Void> running = hung.get(plugin);
        if (running != null) {
            if (!running.isDone()) {
                return Answer.failed("skipped: its previous call still hangs"); // reported when it hung
            }
            hung.remove(plugin, running);
        }
        // a cancelled Future is done at once, even while its thread still runs: track the end ourselves
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Future<T> future;
        try {
            future = workers.submit(() -> {
                try {
                    return task.call();
                } finally {
                    finished.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            problems.warn(what + " skipped: the chat core is stopping", null);
            return Answer.failed("skipped: the chat core is stopping");
        }
        try {
            return new Answer<>(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS), null);
        } catch (TimeoutException e) {
            future.cancel(true);
            if (!finished.isDone()) {
                hung.put(plugin, finished);
            }
            problems.warn(what + " did not answer within " + timeout.toMillis()
                    + " ms: skipped (and skipped until that call returns)", null);
            return Answer.failed("did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            problems.warn(what + " failed: skipped", e.getCause());
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return Answer.failed("failed: " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            problems.warn(what + " skipped: interrupted while waiting for it", null);
            return Answer.failed("skipped: interrupted");
        }
    }

    /** The plugin's class, and the bundle it comes from when it runs in a framework. */
    static String describe(Object plugin) {
        Bundle bundle = FrameworkUtil.getBundle(plugin.getClass());
        String name = plugin.getClass().getName();
        return bundle == null ? name : name + " of bundle " + bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
