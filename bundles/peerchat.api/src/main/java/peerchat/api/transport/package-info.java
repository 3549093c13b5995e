/** The peer-to-peer message transport: send to a peer address, listen for incoming messages. */
@Export
@Version("1.3.0")
package peerchat.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
