package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FeatureCatalogTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path features;
    private Path system;
    private FeatureCatalog catalog;

    @Before
    public void distribution() throws IOException {
        features = folder.newFolder("features").toPath();
        system = folder.newFolder("system").toPath();
        TestBundles.systemBundle(system, "org.example", "infra", "1.0.0");
        TestBundles.systemBundle(system, "org.example", "infra", "2.0.0");
        TestBundles.systemBundle(system, "peer", "api", "0.1.0-SNAPSHOT");
        TestBundles.systemBundle(system, "peer", "server", "0.1.0-SNAPSHOT");
        TestBundles.systemBundle(system, "peer", "shell", "0.1.0-SNAPSHOT");
        TestBundles.feature(features, "core", "org.example:infra:1.0.0@1", "peer:api:0.1.0-SNAPSHOT@2");
        TestBundles.feature(features, "server", "peer:api:0.1.0-SNAPSHOT@3", "peer:server:0.1.0-SNAPSHOT");
        TestBundles.feature(features, "shell", "org.example:infra:1.0.0@2", "peer:shell:0.1.0-SNAPSHOT@3");
        catalog = new FeatureCatalog(features, system);
    }

    @Test
    public void availableFeaturesAreTheJsonFiles() throws Exception {
        Files.writeString(features.resolve("README.txt"), "not a feature");
        assertEquals(List.of("core", "server", "shell"), catalog.available());
    }

    @Test
    public void unknownFeatureIsAUsageErrorListingWhatIsAvailable() throws Exception {
        catalog.checkKnown(List.of("core", "shell"));
        try {
            catalog.checkKnown(List.of("core", "ui"));
            fail("ui accepted");
        } catch (UsageException e) {
            assertEquals("unknown feature 'ui' (available: core, server, shell)", e.getMessage());
        }
    }

    @Test
    public void bundlesAreMergedInFeatureOrderOnceEach() throws Exception {
        List<RuntimeBundle> bundles = catalog.bundlesOf(List.of("core", "server", "shell"));
        assertEquals(List.of("org.example:infra:1.0.0", "peer:api:0.1.0-SNAPSHOT", "peer:server:0.1.0-SNAPSHOT",
                "peer:shell:0.1.0-SNAPSHOT"), bundles.stream().map(RuntimeBundle::id).toList());
        assertEquals("the lowest start-order wins, a missing one is 2", List.of(1, 2, 2, 3),
                bundles.stream().map(RuntimeBundle::startLevel).toList());
        assertEquals(MavenLayout.jarOf(system, "peer", "server", "0.1.0-SNAPSHOT"), bundles.get(2).jar());
        assertEquals("peerchat:peer:server", bundles.get(2).location());
        assertEquals(3, FeatureCatalog.highestStartLevel(bundles));
    }

    @Test
    public void twoVersionsOfOneArtifactAreRefused() throws Exception {
        TestBundles.feature(features, "other", "org.example:infra:2.0.0");
        try {
            catalog.bundlesOf(List.of("core", "other"));
            fail("two versions accepted");
        } catch (StartupException e) {
            assertEquals("features core and other ask for two versions of org.example:infra (1.0.0 and 2.0.0)",
                    e.getMessage());
        }
    }

    @Test
    public void aBundleMissingFromSystemIsNamed() throws Exception {
        TestBundles.feature(features, "broken", "peer:gone:1.0");
        try {
            catalog.bundlesOf(List.of("broken"));
            fail("missing jar accepted");
        } catch (StartupException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("feature broken names bundle peer:gone:1.0, which is not in the distribution ("));
        }
    }

    @Test
    public void startOrderMustBeAPositiveWholeNumber() throws Exception {
        TestBundles.feature(features, "zero", "peer:api:0.1.0-SNAPSHOT@0");
        TestBundles.feature(features, "text", "peer:api:0.1.0-SNAPSHOT@\"soon\"");
        TestBundles.feature(features, "quoted", "peer:api:0.1.0-SNAPSHOT@\"4\"");
        assertStartupError("feature zero: bundle peer:api:0.1.0-SNAPSHOT has start-order '0'; expected a whole number from 1", "zero");
        assertStartupError("feature text: bundle peer:api:0.1.0-SNAPSHOT has start-order 'soon'; expected a whole number from 1", "text");
        assertEquals(4, catalog.bundlesOf(List.of("quoted")).get(0).startLevel());
    }

    @Test
    public void malformedJsonIsOneLineNamingTheFile() throws Exception {
        Files.writeString(features.resolve("bad.json"), "{ \"bundles\": [ ");
        try {
            catalog.bundlesOf(List.of("bad"));
            fail("malformed JSON accepted");
        } catch (StartupException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("cannot read feature bad from " + features.resolve("bad.json")));
            assertTrue(e.getMessage(), !e.getMessage().contains("\n"));
        }
    }

    private void assertStartupError(String message, String feature) {
        try {
            catalog.bundlesOf(List.of(feature));
            fail(feature + " accepted");
        } catch (StartupException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
