package peerchat.launcher;

import java.nio.file.Path;

/**
 * One bundle to run: where its jar is, its start level, and the feature that asked for it.
 * Its location in the framework is {@code peerchat:groupId:artifactId} (no version), so a new version
 * of the same artifact updates the installed bundle instead of installing a second one.
 */
record RuntimeBundle(String groupId, String artifactId, String version, Path jar, int startLevel, String feature) {

    /** Marks bundles this launcher installed, so it never touches bundles installed another way. */
    static final String LOCATION_PREFIX = "peerchat:";

    String location() {
        return LOCATION_PREFIX + groupId + ":" + artifactId;
    }

    String id() {
        return groupId + ":" + artifactId + ":" + version;
    }
}
