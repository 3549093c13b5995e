package peerchat.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Makes the framework's launcher-installed bundles (location {@code peerchat:...}) match the requested
 * features: installs what is missing, updates what changed (by jar digest), uninstalls what is no
 * longer requested. Bundles installed any other way (shell, FileInstall) are left alone.
 */
final class BundleReconciler {

    /**
     * @param bundles the requested bundles now in the framework, in feature order
     * @param changed bundles updated or uninstalled, which need a refresh
     * @param problems one line each for bundles that could not be installed or updated
     */
    record Outcome(List<Bundle> bundles, List<Bundle> changed, int installed, int updated, int uninstalled,
            List<String> problems) {
    }

    private final BundleContext context;
    private final InstalledDigests digests;

    BundleReconciler(BundleContext context, InstalledDigests digests) {
        this.context = context;
        this.digests = digests;
    }

    Outcome reconcile(List<RuntimeBundle> wanted) throws IOException {
        List<Bundle> changed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int uninstalled = uninstallUnwanted(wanted, changed, problems);
        List<Bundle> bundles = new ArrayList<>();
        int installed = 0;
        int updated = 0;
        for (RuntimeBundle bundle : wanted) {
            String digest = InstalledDigests.sha256(bundle.jar());
            Bundle existing = context.getBundle(bundle.location());
            try (InputStream in = Files.newInputStream(bundle.jar())) {
                Bundle current;
                if (existing == null) {
                    current = context.installBundle(bundle.location(), in);
                    installed++;
                } else if (!digest.equals(digests.get(bundle.location()))) {
                    existing.update(in);
                    current = existing;
                    changed.add(existing);
                    updated++;
                } else {
                    current = existing;
                }
                digests.put(bundle.location(), digest);
                current.adapt(BundleStartLevel.class).setStartLevel(bundle.startLevel());
                bundles.add(current);
            } catch (BundleException | IllegalStateException e) {
                problems.add("bundle " + bundle.id() + " cannot be " + (existing == null ? "installed" : "updated")
                        + ": " + Messages.describe(e));
                if (existing != null) {
                    bundles.add(existing);
                }
            }
        }
        digests.save();
        return new Outcome(List.copyOf(bundles), List.copyOf(changed), installed, updated, uninstalled,
                List.copyOf(problems));
    }

    private int uninstallUnwanted(List<RuntimeBundle> wanted, List<Bundle> changed, List<String> problems) {
        Set<String> locations = new HashSet<>();
        wanted.forEach(bundle -> locations.add(bundle.location()));
        int uninstalled = 0;
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation();
            if (location.startsWith(RuntimeBundle.LOCATION_PREFIX) && !locations.contains(location)) {
                try {
                    bundle.uninstall();
                    digests.remove(location);
                    changed.add(bundle);
                    uninstalled++;
                } catch (BundleException | IllegalStateException e) {
                    problems.add("bundle " + bundle.getSymbolicName() + " (no longer requested) cannot be uninstalled: "
                            + Messages.describe(e));
                }
            }
        }
        return uninstalled;
    }
}
