package peerchat.launcher;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;

import org.junit.Test;

public class MavenLayoutTest {

    @Test
    public void groupDotsBecomeFolders() {
        assertEquals(Path.of("/d/system/org/apache/felix/org.apache.felix.scr/2.2.18/org.apache.felix.scr-2.2.18.jar"),
                MavenLayout.jarOf(Path.of("/d/system"), "org.apache.felix", "org.apache.felix.scr", "2.2.18"));
    }

    @Test
    public void snapshotsKeepTheirBaseVersion() {
        assertEquals(Path.of("system/peerchat/peerchat.api/0.1.0-SNAPSHOT/peerchat.api-0.1.0-SNAPSHOT.jar"),
                MavenLayout.jarOf(Path.of("system"), "peerchat", "peerchat.api", "0.1.0-SNAPSHOT"));
    }
}
