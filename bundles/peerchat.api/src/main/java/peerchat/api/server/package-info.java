/** Control of the embedded roster server. */
@Export
@Version("1.0.0")
package peerchat.api.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
