package peerchat.ui.api;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Composite;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A view of the workbench, registered as a service by any bundle (whiteboard). The workbench shows it
 * as a tab of its preferred area while the service is registered, and removes it when the service
 * goes away (e.g. its bundle stops).
 * <p>
 * Both {@link #createView(Composite)} and {@link #disposeView()} are called on the UI thread, at most
 * one view at a time per contribution: create, then dispose, then perhaps create again. Everything
 * else a view does to its widgets goes through the {@link UiExecutor}.
 */
@ConsumerType
public interface ViewContribution {

    /** Service property with the view's id, optional (the {@link #id()} method is authoritative). */
    String VIEW_ID = "peerchat.view.id";

    /** Unique, stable id, e.g. {@code peerchat.roster}; used to remember the layout. */
    String id();

    /** The tab title, in the user's language. */
    String title();

    /** Where the view would like to be. */
    default ViewArea area() {
        return ViewArea.CENTER;
    }

    /**
     * The tab icon as plain image data (the workbench creates and disposes the {@code Image}); null for
     * none.
     */
    default ImageData icon() {
        return null;
    }

    /**
     * Builds the view's widgets into {@code parent}, which the workbench created for this view and
     * gives a {@code FillLayout}; the view must not create shells of its own for its content.
     */
    void createView(Composite parent);

    /**
     * Releases what {@link #createView(Composite)} created that is not a child of the parent
     * (images, fonts, colours, listeners on services). The workbench disposes the parent afterwards.
     */
    void disposeView();
}
