package peerchat.ui.workbench.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;

import peerchat.ui.api.UiExecutor;

/**
 * The seam to the UI thread: {@code Display.asyncExec} with a guard. Tasks submitted before the
 * display exists wait for it; tasks submitted after it is disposed are dropped. A task that throws
 * is reported and does not end the event loop.
 */
final class UiThread implements UiExecutor {

    private final BiConsumer<String, Throwable> problems;
    private final List<Runnable> early = new ArrayList<>();
    private volatile Display display;
    private volatile boolean closed;

    UiThread(BiConsumer<String, Throwable> problems) {
        this.problems = problems;
    }

    /** On the UI thread, once the display exists: runs what was submitted before. */
    void ready(Display created) {
        List<Runnable> waiting;
        synchronized (early) {
            display = created;
            waiting = List.copyOf(early);
            early.clear();
        }
        waiting.forEach(this::execute);
    }

    /** From now on tasks are dropped. */
    void close() {
        closed = true;
    }

    Display display() {
        return display;
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            return;
        }
        Display current = display;
        if (current == null) {
            synchronized (early) {
                if (display == null) {
                    early.add(task);
                    return;
                }
                current = display;
            }
        }
        if (current.isDisposed()) {
            return;
        }
        try {
            current.asyncExec(() -> run(task));
        } catch (SWTException disposedMeanwhile) {
            // the display went away between the check and the call: the task is dropped, as documented
            problems.accept("UI task dropped: the display is disposed", null);
        }
    }

    @Override
    public boolean isUiThread() {
        Display current = display;
        return current != null && !current.isDisposed() && current.getThread() == Thread.currentThread();
    }

    /**
     * Runs the task on the UI thread and waits for it, at most the timeout; inline when already on
     * the UI thread. Used where a service is going away and its widgets must be gone first.
     *
     * @return whether the task ran within the timeout
     */
    boolean runAndWait(Runnable task, long timeoutMillis) {
        if (isUiThread()) {
            run(task);
            return true;
        }
        Display current = display;
        if (current == null || current.isDisposed() || closed) {
            return false;
        }
        CountDownLatch done = new CountDownLatch(1);
        execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        try {
            return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError e) {
            problems.accept("UI task failed: " + e, e);
        }
    }
}
