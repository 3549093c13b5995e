package peerchat.ui.api;

import java.util.concurrent.Executor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one seam to the UI thread, registered by the workbench while its display is alive. Background
 * threads hand widget work here; a task submitted after the display is gone is dropped, so tasks
 * still check {@code isDisposed()} on the widgets they touch.
 */
@ProviderType
public interface UiExecutor extends Executor {

    /** Runs the task on the UI thread later (never inline), unless the display is disposed by then. */
    @Override
    void execute(Runnable task);

    /** True on the UI thread. */
    boolean isUiThread();
}
