package peerchat.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import org.ops4j.pax.exam.Option;

/**
 * Turns the built distribution's feature files into Pax Exam bundle options, so the tests boot
 * exactly what the launcher boots (same files, same jars under {@code system/}).
 */
final class FeatureBundles {

    private final Path home;

    FeatureBundles(Path home) {
        this.home = home;
    }

    static FeatureBundles ofDistribution() {
        String home = System.getProperty("peerchat.home");
        if (home == null || !Files.isDirectory(Path.of(home, "features"))) {
            throw new IllegalStateException("no distribution at peerchat.home=" + home + "; build the launcher module first");
        }
        return new FeatureBundles(Path.of(home));
    }

    /**
     * The test-support bundle (its {@code PeerProcess} drives real peers): the tests run inside the
     * framework, so they import it from there.
     */
    static Option testSupport() {
        String jar = System.getProperty("peerchat.testing.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no test-support bundle at peerchat.testing.jar=" + jar);
        }
        return bundle(Path.of(jar).toUri().toString()).startLevel(1).start();
    }

    List<Option> options(String... features) throws IOException {
        List<Option> options = new ArrayList<>();
        for (String feature : features) {
            for (String id : bundleIds(feature)) {
                options.add(bundle(jarOf(id).toUri().toString()).startLevel(1).start());
            }
        }
        return options;
    }

    private List<String> bundleIds(String feature) throws IOException {
        Path file = home.resolve("features").resolve(feature + ".json");
        try (InputStream in = Files.newInputStream(file); JsonReader reader = Json.createReader(in)) {
            JsonObject json = reader.readObject();
            List<String> ids = new ArrayList<>();
            for (JsonValue bundle : json.getJsonArray("bundles")) {
                ids.add(bundle.getValueType() == JsonValue.ValueType.STRING
                        ? ((jakarta.json.JsonString) bundle).getString()
                        : bundle.asJsonObject().getString("id"));
            }
            return ids;
        }
    }

    /** groupId:artifactId:version → system/group/path/artifactId/version/artifactId-version.jar */
    private Path jarOf(String id) {
        String[] gav = id.split(":");
        if (gav.length < 3) {
            throw new IllegalArgumentException("not a groupId:artifactId:version bundle id: " + id);
        }
        Path jar = home.resolve("system").resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2])
                .resolve(gav[1] + "-" + gav[2] + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("bundle " + id + " is not in the distribution: " + jar);
        }
        return jar;
    }
}
