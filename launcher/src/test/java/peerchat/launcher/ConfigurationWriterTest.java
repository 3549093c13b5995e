package peerchat.launcher;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

public class ConfigurationWriterTest {

    private final OptionParser parser = new OptionParser(Path.of("/home/test"));

    @Test
    public void hostingAServer() throws Exception {
        Map<String, Map<String, Object>> settings = ConfigurationWriter.settings(parse("--server", "127.0.0.1:6000",
                "--name", "alice", "--udp-port", "40000"));
        assertEquals(Map.of("enabled", true, "host", "127.0.0.1", "port", 6000), settings.get("peerchat.roster.server"));
        assertEquals(Map.of("server", "127.0.0.1:6000", "name", "alice"), settings.get("peerchat.roster.client"));
        assertEquals(Map.of("port", 40000), settings.get("peerchat.transport.udp"));
    }

    @Test
    public void serverOnAllInterfacesHasAnEmptyHost() throws Exception {
        assertEquals(Map.of("enabled", true, "host", "", "port", 5555),
                ConfigurationWriter.settings(parse("--server")).get("peerchat.roster.server"));
    }

    @Test
    public void withoutServerOnlyEnabledIsWrittenAndNameIsEmpty() throws Exception {
        Map<String, Map<String, Object>> settings = ConfigurationWriter.settings(parse());
        assertEquals(Map.of("enabled", false), settings.get("peerchat.roster.server"));
        assertEquals(Map.of("server", "127.0.0.1:5555", "name", ""), settings.get("peerchat.roster.client"));
        assertEquals(Map.of("port", 0), settings.get("peerchat.transport.udp"));
    }

    @Test
    public void writesOwnKeysKeepsOthersAndSkipsWhatDidNotChange() throws Exception {
        FakeConfigurationAdmin admin = new FakeConfigurationAdmin();
        admin.stored("peerchat.roster.server", Map.of("enabled", true, "host", "10.0.0.1", "port", 7000, "maxClients", 50));
        admin.stored("peerchat.transport.udp", Map.of("port", 0, "retransmitMillis", 300));

        List<String> changed = ConfigurationWriter.write(admin.proxy(), ConfigurationWriter.settings(parse("--name", "bob")));

        assertEquals(List.of("peerchat.roster.server", "peerchat.roster.client"), changed);
        assertEquals(Map.of("enabled", false, "host", "10.0.0.1", "port", 7000, "maxClients", 50),
                admin.properties("peerchat.roster.server"));
        assertEquals(Map.of("server", "127.0.0.1:5555", "name", "bob"), admin.properties("peerchat.roster.client"));
        assertEquals(Map.of("port", 0, "retransmitMillis", 300), admin.properties("peerchat.transport.udp"));
        assertEquals("every configuration is bound to any location", List.of("?"), admin.locations());
    }

    private Options parse(String... args) throws UsageException {
        return parser.parse(List.of(args));
    }

    /** Just enough of ConfigurationAdmin: getConfiguration, getProperties, updateIfDifferent. */
    private static final class FakeConfigurationAdmin {

        private final Map<String, Hashtable<String, Object>> store = new HashMap<>();
        private final List<String> locations = new java.util.ArrayList<>();

        void stored(String pid, Map<String, Object> properties) {
            store.put(pid, new Hashtable<>(properties));
        }

        Map<String, Object> properties(String pid) {
            return Map.copyOf(store.get(pid));
        }

        List<String> locations() {
            return locations.stream().distinct().toList();
        }

        ConfigurationAdmin proxy() {
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (self, method, args) -> {
                        if (!method.getName().equals("getConfiguration") || args.length != 2) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        locations.add((String) args[1]);
                        return configuration((String) args[0]);
                    });
        }

        @SuppressWarnings("unchecked")
        private Configuration configuration(String pid) {
            return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (self, method, args) -> switch (method.getName()) {
                        case "getProperties" -> store.containsKey(pid) ? new Hashtable<>(store.get(pid)) : null;
                        case "updateIfDifferent" -> {
                            Hashtable<String, Object> wanted = new Hashtable<>();
                            Dictionary<String, Object> given = (Dictionary<String, Object>) args[0];
                            for (var keys = given.keys(); keys.hasMoreElements();) {
                                String key = keys.nextElement();
                                wanted.put(key, given.get(key));
                            }
                            boolean different = !wanted.equals(store.get(pid));
                            store.put(pid, wanted);
                            yield different;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
