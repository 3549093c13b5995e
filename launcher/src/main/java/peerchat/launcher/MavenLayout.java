package peerchat.launcher;

import java.nio.file.Path;

/** Where a {@code groupId:artifactId:version} jar lives in a Maven-repository-shaped folder. */
final class MavenLayout {

    private MavenLayout() {
    }

    /** {@code org.apache.felix:org.apache.felix.scr:2.2.18} → {@code org/apache/felix/org.apache.felix.scr/2.2.18/org.apache.felix.scr-2.2.18.jar} */
    static Path jarOf(Path repository, String groupId, String artifactId, String version) {
        Path folder = repository;
        for (String part : groupId.split("\\.")) {
            folder = folder.resolve(part);
        }
        return folder.resolve(artifactId).resolve(version).resolve(artifactId + "-" + version + ".jar");
    }
}
