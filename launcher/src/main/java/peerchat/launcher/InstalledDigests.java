package peerchat.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * SHA-256 of each jar the launcher installed, by bundle location, kept next to the framework storage.
 * A snapshot rebuilt with the same version is still noticed and updated.
 */
final class InstalledDigests {

    static final String FILE_NAME = "peerchat-bundles.properties";

    private final Path file;
    private final Properties digests = new Properties();

    private InstalledDigests(Path file) {
        this.file = file;
    }

    static InstalledDigests load(Path file) throws IOException {
        InstalledDigests loaded = new InstalledDigests(file);
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                loaded.digests.load(in);
            }
        }
        return loaded;
    }

    String get(String location) {
        return digests.getProperty(location);
    }

    void put(String location, String digest) {
        digests.setProperty(location, digest);
    }

    void remove(String location) {
        digests.remove(location);
    }

    void save() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            digests.store(out, "bundles installed by the peerchat launcher: location = SHA-256 of the jar");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(Path jar) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buffer = new byte[64 * 1024];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
