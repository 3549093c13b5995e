/** Conversations by user name: send with delivery results, history, message listeners; plugins add message interceptors and chat commands. */
@Export
@Version("1.2.0")
package peerchat.api.chat;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
