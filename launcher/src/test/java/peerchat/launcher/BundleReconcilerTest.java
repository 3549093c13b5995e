package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.felix.framework.Felix;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

/** Against a real (embedded, never started) Felix, restarted between runs like the launcher is. */
public class BundleReconcilerTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private Path storage;
    private Path digestsFile;
    private Path system;
    private Framework framework;

    @Before
    public void folders() throws Exception {
        storage = folder.newFolder("framework").toPath();
        digestsFile = storage.resolve(InstalledDigests.FILE_NAME);
        system = folder.newFolder("system").toPath();
    }

    @After
    public void stopFramework() throws Exception {
        if (framework != null) {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Test
    public void installsUpdatesAndUninstallsOnlyItsOwnBundles() throws Exception {
        RuntimeBundle api = bundle("api", 2, Map.of());
        RuntimeBundle server = bundle("server", 2, Map.of());

        BundleReconciler.Outcome first = reconcile(List.of(api, server));
        assertEquals(2, first.installed());
        assertEquals(List.of("api", "server"), first.bundles().stream().map(Bundle::getSymbolicName).toList());
        Bundle foreign = context().installBundle("file:foreign.jar",
                Files.newInputStream(TestBundles.bundle(folder.getRoot().toPath().resolve("foreign.jar"), "foreign", "1.0", Map.of())));
        long apiId = context().getBundle(api.location()).getBundleId();

        // next run: same api jar, server rebuilt (same version, new content)
        restart();
        RuntimeBundle rebuilt = bundle("server", 3, Map.of("Bundle-Description", "rebuilt"));
        BundleReconciler.Outcome second = reconcile(List.of(api, rebuilt));
        assertEquals(0, second.installed());
        assertEquals(1, second.updated());
        assertEquals("rebuilt", context().getBundle(rebuilt.location()).getHeaders().get("Bundle-Description"));
        assertEquals(3, context().getBundle(rebuilt.location()).adapt(BundleStartLevel.class).getStartLevel());
        assertEquals("unchanged bundles keep their id", apiId, context().getBundle(api.location()).getBundleId());

        // next run: the server feature is no longer requested
        restart();
        BundleReconciler.Outcome third = reconcile(List.of(api));
        assertEquals(1, third.uninstalled());
        assertNull(context().getBundle(rebuilt.location()));
        assertNotNull("bundles installed by others stay", context().getBundle(foreign.getLocation()));
        assertEquals(List.of(), third.problems());
    }

    @Test
    public void aBundleThatCannotBeInstalledIsReportedAndTheOthersContinue() throws Exception {
        RuntimeBundle good = bundle("good", 2, Map.of());
        Path broken = system.resolve("broken.jar");
        TestBundles.bundle(broken, "broken", "1.0", Map.of("Bundle-ManifestVersion", "99"));
        RuntimeBundle bad = new RuntimeBundle("test", "broken", "1.0", broken, 2, "core");

        BundleReconciler.Outcome outcome = reconcile(List.of(bad, good));
        assertEquals(List.of("good"), outcome.bundles().stream().map(Bundle::getSymbolicName).toList());
        assertEquals(1, outcome.problems().size());
        assertTrue(outcome.problems().get(0), outcome.problems().get(0).startsWith("bundle test:broken:1.0 cannot be installed: "));
    }

    private RuntimeBundle bundle(String name, int startLevel, Map<String, String> headers) throws Exception {
        Path jar = MavenLayout.jarOf(system, "test", name, "1.0");
        TestBundles.bundle(jar, name, "1.0", headers);
        return new RuntimeBundle("test", name, "1.0", jar, startLevel, "core");
    }

    private BundleReconciler.Outcome reconcile(List<RuntimeBundle> wanted) throws Exception {
        return new BundleReconciler(context(), InstalledDigests.load(digestsFile)).reconcile(wanted);
    }

    private BundleContext context() throws Exception {
        if (framework == null) {
            framework = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString()));
            framework.init();
        }
        return framework.getBundleContext();
    }

    private void restart() throws Exception {
        stopFramework();
        framework = null;
    }

}
