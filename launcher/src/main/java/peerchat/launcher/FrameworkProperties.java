package peerchat.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.Constants;

/** The framework launching properties for one run. */
final class FrameworkProperties {

    static final String DATA = "peerchat.data";
    static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
    static final String GOSH_ARGS = "gosh.args";
    /** gogo.jline runs {@code etc/gosh_profile} under this folder instead of its built-in profile. */
    static final String GOSH_HOME = "gosh.home";
    /** R7 Log Service: the root logger level (WARN by default, which would hide every INFO entry). */
    static final String ROOT_LOG_LEVEL = "org.osgi.service.log.admin.loglevel";

    private FrameworkProperties() {
    }

    static Map<String, Object> of(Options options, Distribution distribution) {
        Path data = options.data();
        Map<String, Object> properties = new HashMap<>();
        // kept across runs so bundles and ConfigAdmin data persist; the launcher reconciles the bundles
        properties.put(Constants.FRAMEWORK_STORAGE, storage(data).toString());
        // level 1 holds the infrastructure; the launcher writes configuration before raising the level
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, "1");
        // the launcher calls ConfigurationAdmin itself, so the API must be one class space with the bundles'
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.osgi.service.cm;version=" + cmPackageVersion());
        properties.put(DATA, data.toString());
        properties.put(FILEINSTALL_DIR, plugins(data).toString());
        // a dropped plugin should take effect within about a second, also right after start
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.fileinstall.poll", "1000");
        properties.put(ROOT_LOG_LEVEL, "INFO");
        // for the SWT fragment of the UI feature
        properties.put("osgi.ws", "gtk");
        properties.put("osgi.os", "linux");
        properties.put("osgi.arch", "x86_64");
        // the console runs the distribution's etc/gosh_profile: Felix's profile without JLine's history
        // expansion, which would rewrite chat text such as "wow!!"
        properties.put(GOSH_HOME, distribution.home().toString());
        if (options.mode() == Mode.DAEMON || options.mode() == Mode.UI && !stdinIsTerminal()) {
            // the console's commands stay available to other consoles, but nothing reads stdin
            // (a window started from a desktop has no console; its end of input must not stop it)
            properties.put(GOSH_ARGS, "--nointeractive");
        } else {
            // what is typed (chat text included) or piped stays out of ~/.gogo.history, which every
            // Gogo on this account shares
            properties.put(GOSH_ARGS, "--nohistory");
        }
        return properties;
    }

    /** Set by bin/peerchat ({@code [ -t 0 ]}): whether stdin is a terminal a user types into. */
    static final String STDIN_TERMINAL = "peerchat.stdin.terminal";

    static boolean stdinIsTerminal() {
        return Boolean.getBoolean(STDIN_TERMINAL);
    }

    static Path storage(Path data) {
        return data.resolve("framework");
    }

    static Path plugins(Path data) {
        return data.resolve("plugins");
    }

    /** The version the org.osgi.service.cm API jar exports; filtered into launcher.properties from the target platform. */
    static String cmPackageVersion() {
        Properties properties = new Properties();
        try (InputStream in = FrameworkProperties.class.getResourceAsStream("launcher.properties")) {
            if (in == null) {
                throw new IllegalStateException("launcher.properties is missing from the launcher jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read launcher.properties from the launcher jar: " + e.getMessage(), e);
        }
        return properties.getProperty("cm.package.version");
    }
}
