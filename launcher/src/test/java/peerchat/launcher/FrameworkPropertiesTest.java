package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class FrameworkPropertiesTest {

    private final OptionParser parser = new OptionParser(Path.of("/home/test"));
    private final Distribution distribution = new Distribution(Path.of("/opt/peerchat"));

    @Test
    public void everythingLivesInTheDataDirectory() throws Exception {
        Map<String, Object> properties = FrameworkProperties.of(parser.parse(List.of("--data", "/srv/chat")), distribution);
        assertEquals("/srv/chat/framework", properties.get("org.osgi.framework.storage"));
        assertEquals("/srv/chat", properties.get("peerchat.data"));
        assertEquals("/srv/chat/plugins", properties.get("felix.fileinstall.dir"));
        assertEquals("1000", properties.get("felix.fileinstall.poll"));
        assertFalse("storage survives restarts", properties.containsKey("org.osgi.framework.storage.clean"));
    }

    @Test
    public void exportsTheConfigAdminApiOfTheTargetPlatform() throws Exception {
        Map<String, Object> properties = FrameworkProperties.of(parser.parse(List.of()), distribution);
        String extra = (String) properties.get("org.osgi.framework.system.packages.extra");
        assertEquals("org.osgi.service.cm;version=" + FrameworkProperties.cmPackageVersion(), extra);
        assertFalse("filtered by Maven: " + extra, extra.contains("${"));
    }

    @Test
    public void startsAtLevelOneWithInfoLoggingAndSwtProperties() throws Exception {
        Map<String, Object> properties = FrameworkProperties.of(parser.parse(List.of()), distribution);
        assertEquals("1", properties.get("org.osgi.framework.startlevel.beginning"));
        assertEquals("INFO", properties.get("org.osgi.service.log.admin.loglevel"));
        assertEquals("gtk", properties.get("osgi.ws"));
        assertEquals("linux", properties.get("osgi.os"));
        assertEquals("x86_64", properties.get("osgi.arch"));
    }

    @Test
    public void onlyTheDaemonKeepsGogoOffTheConsole() throws Exception {
        assertEquals("--nointeractive", FrameworkProperties.of(parser.parse(List.of("--daemon")), distribution).get("gosh.args"));
        assertEquals("--nohistory", FrameworkProperties.of(parser.parse(List.of("--headless")), distribution).get("gosh.args"));
    }

    @Test
    public void theConsoleReadsTheDistributionsProfile() throws Exception {
        assertEquals("/opt/peerchat", FrameworkProperties.of(parser.parse(List.of("--headless")), distribution).get("gosh.home"));
    }
}
