package peerchat.launcher;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The launcher's main thread, offered to the bundles as an {@link Executor} service with
 * {@value #PROPERTY}={@value #MAIN}: SWT wants its display on the process's first thread, so the
 * workbench submits its event loop here. Tasks run one after the other until the framework stops.
 */
final class MainThreadExecutor implements Executor {

    static final String PROPERTY = "peerchat.thread";
    static final String MAIN = "main";
    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final ErrorSink errors;
    private volatile boolean closed;

    /** Where a failing task is reported (one line); the loop carries on. */
    interface ErrorSink {
        void report(Throwable problem);
    }

    MainThreadExecutor(ErrorSink errors) {
        this.errors = errors;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException("the main thread no longer runs tasks: the framework has stopped");
        }
        tasks.add(task);
    }

    /** On the main thread: runs tasks until {@code stopped} says so (checked between tasks and every 100 ms). */
    void runUntil(BooleanSupplier stopped) throws InterruptedException {
        try {
            while (!stopped.getAsBoolean()) {
                Runnable task = tasks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (task != null) {
                    run(task);
                }
            }
        } finally {
            closed = true;
            tasks.clear();
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError e) {
            errors.report(e);
        }
    }
}
