package peerchat.launcher;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DistributionUrlHandlerTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    @Test
    public void aLauncherLocationOpensTheDistributionsJar() throws IOException {
        Path jar = folder.newFile("peerchat.chat.core-1.jar").toPath();
        Files.write(jar, new byte[] {1, 2, 3});
        DistributionUrlHandler handler = new DistributionUrlHandler(
                List.of(new RuntimeBundle("peerchat", "peerchat.chat.core", "1", jar, 3, "core")));

        URLConnection connection = handler.openConnection(new URL(null, "peerchat:peerchat:peerchat.chat.core",
                new java.net.URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL url) {
                        throw new UnsupportedOperationException();
                    }
                }));
        try (InputStream in = connection.getInputStream()) {
            assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
        }
        assertEquals("peerchat", DistributionUrlHandler.PROTOCOL);
    }

    @Test
    public void aLocationOutsideThisRunsFeaturesIsAClearError() throws IOException {
        DistributionUrlHandler handler = new DistributionUrlHandler(List.of());
        try {
            handler.openConnection(new URL(null, "peerchat:peerchat:peerchat.roster.server", new java.net.URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL url) {
                    throw new UnsupportedOperationException();
                }
            }));
            fail("no jar expected");
        } catch (IOException expected) {
            assertEquals("no jar for peerchat:peerchat:peerchat.roster.server in the features of this run",
                    expected.getMessage());
        }
    }
}
