package peerchat.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;

/**
 * A bundle's jar as a rebuild would produce it: the same classes under a manifest with one more
 * header, so an update installs different bytes and a test can tell which revision runs.
 */
final class RebuiltJar {

    static final String HEADER = "Peerchat-Rebuilt";

    private RebuiltJar() {
    }

    static byte[] of(Bundle bundle, String build) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(URI.create(bundle.getLocation()).toURL().openStream())) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue(HEADER, build);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }
}
