package peerchat.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Tiny bundles (a manifest and nothing else) and distributions made of them, for tests. */
final class TestBundles {

    private TestBundles() {
    }

    /** Writes a bundle jar; {@code extra} headers (e.g. Import-Package) make it differ or fail. */
    static Path bundle(Path jar, String symbolicName, String version, Map<String, String> extra) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        extra.forEach(main::putValue);
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.flush();
        }
        return jar;
    }

    /** A bundle at its Maven-layout place under {@code system}. */
    static Path systemBundle(Path system, String groupId, String artifactId, String version) throws IOException {
        return bundle(MavenLayout.jarOf(system, groupId, artifactId, version), artifactId, version, Map.of());
    }

    /** A feature file naming {@code bundles} ({@code "g:a:v"} or {@code "g:a:v@startOrder"}). */
    static void feature(Path featuresDirectory, String name, String... bundles) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"feature-resource-version\": \"1.0\",\n")
                .append("  \"id\": \"test:features:json:").append(name).append(":1.0\",\n  \"bundles\": [");
        for (int i = 0; i < bundles.length; i++) {
            String[] idAndOrder = bundles[i].split("@");
            json.append(i == 0 ? "\n" : ",\n").append("    { \"id\": \"").append(idAndOrder[0]).append('"');
            if (idAndOrder.length > 1) {
                json.append(", \"start-order\": ").append(idAndOrder[1]);
            }
            json.append(" }");
        }
        json.append("\n  ]\n}\n");
        Files.createDirectories(featuresDirectory);
        Files.writeString(featuresDirectory.resolve(name + ".json"), json);
    }
}
