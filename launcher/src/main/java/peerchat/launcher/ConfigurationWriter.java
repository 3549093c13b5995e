package peerchat.launcher;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The command line as ConfigAdmin configuration. Only the keys the launcher owns are written; other
 * keys of the same PIDs (set in the shell, a UI, FileInstall) are kept. Unchanged values are not
 * written again, so components are not needlessly reconfigured.
 */
final class ConfigurationWriter {

    static final String SERVER_PID = "peerchat.roster.server";
    static final String CLIENT_PID = "peerchat.roster.client";
    static final String TRANSPORT_PID = "peerchat.transport.udp";
    /** Multi-location: the configuration binds to whichever bundle holds the PID. */
    static final String ANY_LOCATION = "?";

    private ConfigurationWriter() {
    }

    /** PID → the keys the launcher owns, with their values for these options. */
    static Map<String, Map<String, Object>> settings(Options options) {
        Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("enabled", options.hostsServer());
        if (options.hostsServer()) {
            server.put("host", options.server().host());
            server.put("port", options.server().port());
        }
        settings.put(SERVER_PID, server);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("server", options.connect().toString());
        client.put("name", options.name());
        settings.put(CLIENT_PID, client);
        settings.put(TRANSPORT_PID, Map.of("port", options.udpPort()));
        return settings;
    }

    /** @return the PIDs whose configuration changed */
    static List<String> write(ConfigurationAdmin admin, Map<String, Map<String, Object>> settings) throws IOException {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> pid : settings.entrySet()) {
            Configuration configuration = admin.getConfiguration(pid.getKey(), ANY_LOCATION);
            Dictionary<String, Object> properties = copy(configuration.getProperties());
            pid.getValue().forEach(properties::put);
            if (configuration.updateIfDifferent(properties)) {
                changed.add(pid.getKey());
            }
        }
        return changed;
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> existing) {
        Hashtable<String, Object> copy = new Hashtable<>();
        if (existing != null) {
            for (Enumeration<String> keys = existing.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                copy.put(key, existing.get(key));
            }
        }
        return copy;
    }
}
