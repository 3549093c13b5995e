/** Plain data exchanged by the Peers Chatting services: addresses, users, messages, results. */
@Export
@Version("1.3.0")
package peerchat.api.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
