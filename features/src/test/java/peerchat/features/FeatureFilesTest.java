package peerchat.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.Test;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * The built feature files (filtered, in target/classes) parse with the launcher's parser, and they and
 * the bundles copied to system/ name exactly the same artifacts: a bundle added to a feature but not
 * to this module's pom, or the other way round, fails here.
 */
public class FeatureFilesTest {

    private static final List<String> FEATURES = List.of("core", "server", "shell", "ui");

    private final Path classes = Path.of(System.getProperty("basedir", "."), "target", "classes");
    private final FeatureService parser = ServiceLoader.load(FeatureService.class).findFirst().orElseThrow();

    @Test
    public void everyFeatureParsesAndIsNamedAfterItsFile() throws IOException {
        for (String name : FEATURES) {
            Feature feature = read(name);
            assertEquals(name, feature.getID().getClassifier().orElse(""));
            assertEquals("features", feature.getID().getArtifactId());
            assertFalse(name + " has bundles", feature.getBundles().isEmpty());
        }
    }

    @Test
    public void everyPlaceholderWasReplacedByAVersion() throws IOException {
        for (String name : FEATURES) {
            String text = Files.readString(featureFile(name));
            assertFalse(name + ".json still holds a ${...}:\n" + text, text.contains("${"));
        }
    }

    @Test
    public void everyBundleOfEveryFeatureIsInSystem() throws IOException {
        for (String name : FEATURES) {
            for (FeatureBundle bundle : read(name).getBundles()) {
                Path jar = jarOf(bundle.getID());
                assertTrue(name + ": " + bundle.getID() + " expected at " + jar, Files.isRegularFile(jar));
            }
        }
    }

    @Test
    public void everyJarInSystemBelongsToAFeature() throws IOException {
        Set<Path> named = new TreeSet<>();
        for (String name : FEATURES) {
            for (FeatureBundle bundle : read(name).getBundles()) {
                named.add(jarOf(bundle.getID()));
            }
        }
        Set<Path> copied = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes.resolve("system"))) {
            files.filter(file -> file.toString().endsWith(".jar")).forEach(copied::add);
        }
        assertEquals("jars in system/ that no feature names (or the reverse)", named, copied);
    }

    @Test
    public void everyBundleHasAStartOrderFromOneToFour() throws IOException {
        List<String> problems = new ArrayList<>();
        for (String name : FEATURES) {
            for (FeatureBundle bundle : read(name).getBundles()) {
                Object order = bundle.getMetadata().get("start-order");
                if (!(order instanceof Number number) || number.intValue() < 1 || number.intValue() > 4) {
                    problems.add(name + ": " + bundle.getID() + " start-order " + order);
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Within one level bundles start in install order; levels make the order independent of the feature order. */
    @Test
    public void theServerStartsBeforeTheClientAndTheConsoleLast() throws IOException {
        assertTrue(startOrder("peerchat.roster.server") < startOrder("peerchat.roster.client"));
        for (String name : FEATURES) {
            for (FeatureBundle bundle : read(name).getBundles()) {
                if (!bundle.getID().getArtifactId().equals("org.apache.felix.gogo.jline")) {
                    assertTrue(bundle.getID() + " starts before the console",
                            startOrder(bundle.getID().getArtifactId()) < startOrder("org.apache.felix.gogo.jline"));
                }
            }
        }
    }

    @Test
    public void theRosterServerIsOnlyInTheServerFeature() throws IOException {
        for (String name : FEATURES) {
            boolean hasServer = read(name).getBundles().stream()
                    .anyMatch(bundle -> bundle.getID().getArtifactId().equals("peerchat.roster.server"));
            assertEquals(name, name.equals("server"), hasServer);
        }
    }

    private int startOrder(String artifactId) throws IOException {
        for (String name : FEATURES) {
            for (FeatureBundle bundle : read(name).getBundles()) {
                if (bundle.getID().getArtifactId().equals(artifactId)) {
                    return ((Number) bundle.getMetadata().get("start-order")).intValue();
                }
            }
        }
        throw new AssertionError(artifactId + " is in no feature");
    }

    private Feature read(String name) throws IOException {
        try (Reader reader = Files.newBufferedReader(featureFile(name))) {
            return parser.readFeature(reader);
        }
    }

    private Path featureFile(String name) {
        return classes.resolve("features").resolve(name + ".json");
    }

    private Path jarOf(ID id) {
        return classes.resolve("system").resolve(id.getGroupId().replace('.', '/')).resolve(id.getArtifactId())
                .resolve(id.getVersion()).resolve(id.getArtifactId() + "-" + id.getVersion() + ".jar");
    }
}
