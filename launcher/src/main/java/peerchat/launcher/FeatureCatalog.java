package peerchat.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/**
 * The feature files of a distribution ({@code features/NAME.json}, OSGi Feature JSON read by Apache
 * Felix's parser) and the merged bundle list of a set of features. A bundle's optional
 * {@code "start-order"} becomes its start level (default {@value #DEFAULT_START_LEVEL}).
 */
final class FeatureCatalog {

    static final int DEFAULT_START_LEVEL = 2;
    static final String START_ORDER = "start-order";

    private final Path featuresDirectory;
    private final Path systemDirectory;
    private final FeatureService parser;

    FeatureCatalog(Path featuresDirectory, Path systemDirectory) {
        this.featuresDirectory = featuresDirectory;
        this.systemDirectory = systemDirectory;
        this.parser = ServiceLoader.load(FeatureService.class, FeatureCatalog.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi feature parser on the class path"));
    }

    /** The feature names on offer, sorted. */
    List<String> available() throws StartupException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(featuresDirectory, "*.json")) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                names.add(fileName.substring(0, fileName.length() - ".json".length()));
            }
        } catch (IOException e) {
            throw new StartupException("cannot list the features in " + featuresDirectory + ": " + e.getMessage(), e);
        }
        return List.copyOf(names);
    }

    /** Throws a usage error naming the unknown feature and what is on offer. */
    void checkKnown(List<String> names) throws UsageException, StartupException {
        List<String> available = available();
        for (String name : names) {
            if (!available.contains(name)) {
                throw new UsageException("unknown feature '" + name + "' (available: " + String.join(", ", available) + ")");
            }
        }
    }

    /**
     * Every bundle of the named features, once, in feature order. A bundle in several features keeps
     * its lowest start level; two versions of one artifact are refused.
     */
    List<RuntimeBundle> bundlesOf(List<String> names) throws StartupException {
        Map<String, RuntimeBundle> byArtifact = new LinkedHashMap<>();
        for (String name : names) {
            for (FeatureBundle bundle : read(name).getBundles()) {
                RuntimeBundle wanted = runtimeBundle(name, bundle);
                String artifact = wanted.groupId() + ":" + wanted.artifactId();
                RuntimeBundle earlier = byArtifact.get(artifact);
                if (earlier == null) {
                    byArtifact.put(artifact, wanted);
                } else if (!earlier.version().equals(wanted.version())) {
                    throw new StartupException("features " + earlier.feature() + " and " + name
                            + " ask for two versions of " + artifact + " (" + earlier.version() + " and "
                            + wanted.version() + ")");
                } else if (wanted.startLevel() < earlier.startLevel()) {
                    byArtifact.put(artifact, wanted);
                }
            }
        }
        return List.copyOf(byArtifact.values());
    }

    Feature read(String name) throws StartupException {
        Path file = featuresDirectory.resolve(name + ".json");
        try (Reader reader = Files.newBufferedReader(file)) {
            return parser.readFeature(reader);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot read feature " + name + " from " + file + ": " + Messages.describe(e), e);
        }
    }

    private RuntimeBundle runtimeBundle(String feature, FeatureBundle bundle) throws StartupException {
        ID id = bundle.getID();
        Path jar = MavenLayout.jarOf(systemDirectory, id.getGroupId(), id.getArtifactId(), id.getVersion());
        if (!Files.isRegularFile(jar)) {
            throw new StartupException("feature " + feature + " names bundle " + id + ", which is not in the distribution ("
                    + jar + ")");
        }
        return new RuntimeBundle(id.getGroupId(), id.getArtifactId(), id.getVersion(), jar,
                startLevel(feature, id, bundle.getMetadata().get(START_ORDER)), feature);
    }

    private static int startLevel(String feature, ID id, Object startOrder) throws StartupException {
        if (startOrder == null) {
            return DEFAULT_START_LEVEL;
        }
        int level;
        if (startOrder instanceof Number number) {
            level = number.intValue();
        } else {
            try {
                level = Integer.parseInt(startOrder.toString().strip());
            } catch (NumberFormatException notANumber) {
                level = 0;
            }
        }
        if (level >= 1) {
            return level;
        }
        throw new StartupException("feature " + feature + ": bundle " + id + " has start-order '" + startOrder
                + "'; expected a whole number from 1");
    }

    /** All bundles' start levels, for the final framework start level. */
    static int highestStartLevel(List<RuntimeBundle> bundles) {
        return bundles.stream().mapToInt(RuntimeBundle::startLevel).max().orElse(1);
    }
}
