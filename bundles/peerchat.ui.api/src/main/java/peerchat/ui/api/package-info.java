/**
 * The workbench's plugin API: {@link peerchat.ui.api.ViewContribution} services (whiteboard) become
 * views of the main window; {@link peerchat.ui.api.UiExecutor} is the one way onto the UI thread.
 */
@Export
@Version("1.0.0")
package peerchat.ui.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
