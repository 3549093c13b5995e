/** The roster client: log in to a roster server, see who is online, follow changes. */
@Export
@Version("1.1.0")
package peerchat.api.roster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
