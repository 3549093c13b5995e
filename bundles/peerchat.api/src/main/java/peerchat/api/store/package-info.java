/** The durable message store: every message sent or received, its state, search and contacts. */
@Export
@Version("1.0.0")
package peerchat.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
