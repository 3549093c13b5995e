package peerchat.launcher;

import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.url.AbstractURLStreamHandlerService;

/**
 * Resolves the {@code peerchat:groupId:artifactId} locations of launcher-installed bundles to their
 * jars in this distribution, so a plain Gogo {@code update ID} (which re-reads a bundle's location)
 * installs the jar the distribution holds now, e.g. after a rebuild.
 */
final class DistributionUrlHandler extends AbstractURLStreamHandlerService {

    static final String PROTOCOL = RuntimeBundle.LOCATION_PREFIX.substring(0, RuntimeBundle.LOCATION_PREFIX.length() - 1);

    private final Map<String, RuntimeBundle> byLocation = new HashMap<>();

    DistributionUrlHandler(List<RuntimeBundle> bundles) {
        bundles.forEach(bundle -> byLocation.put(bundle.location(), bundle));
    }

    @Override
    public URLConnection openConnection(URL url) throws IOException {
        RuntimeBundle bundle = byLocation.get(url.toExternalForm());
        if (bundle == null) {
            throw new IOException("no jar for " + url.toExternalForm() + " in the features of this run");
        }
        return bundle.jar().toUri().toURL().openConnection();
    }
}
