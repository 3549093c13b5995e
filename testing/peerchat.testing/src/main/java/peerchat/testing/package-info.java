/** Test support: real peer processes for end-to-end tests (not part of the product). */
@Export
@Version("1.0.0")
package peerchat.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
