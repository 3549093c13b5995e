package peerchat.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** The installed tree: {@code bin/}, {@code lib/}, {@code features/*.json}, {@code system/} (Maven layout). */
record Distribution(Path home) {

    static final String HOME_PROPERTY = "peerchat.home";

    /** From {@code -Dpeerchat.home} (set by bin/peerchat), else the parent of the launcher jar's {@code lib/}. */
    static Distribution locate() throws StartupException {
        String property = System.getProperty(HOME_PROPERTY);
        Path home;
        if (property != null && !property.isBlank()) {
            home = Path.of(property);
        } else {
            home = fromLauncherJar();
        }
        Distribution distribution = new Distribution(home.toAbsolutePath().normalize());
        if (!Files.isDirectory(distribution.featuresDirectory())) {
            throw new StartupException("no distribution at " + distribution.home() + " (no features/ folder); set -D"
                    + HOME_PROPERTY + " or start bin/peerchat");
        }
        return distribution;
    }

    private static Path fromLauncherJar() throws StartupException {
        CodeSource source = Distribution.class.getProtectionDomain().getCodeSource();
        try {
            Path jar = Path.of(source.getLocation().toURI());
            Path lib = jar.getParent();
            if (lib == null || lib.getParent() == null) {
                throw new StartupException("cannot tell the distribution folder from " + jar + "; set -D" + HOME_PROPERTY);
            }
            return lib.getParent();
        } catch (URISyntaxException | IllegalArgumentException | NullPointerException unusualLocation) {
            throw new StartupException("cannot tell the distribution folder from the launcher's location; set -D"
                    + HOME_PROPERTY);
        }
    }

    Path featuresDirectory() {
        return home.resolve("features");
    }

    Path systemDirectory() {
        return home.resolve("system");
    }
}
