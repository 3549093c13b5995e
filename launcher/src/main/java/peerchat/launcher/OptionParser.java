package peerchat.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the command line into {@link Options}. Options take their value as the next argument or
 * after {@code =} ({@code --name alice}, {@code --name=alice}); {@code --server}'s value is optional.
 */
final class OptionParser {

    static final int DEFAULT_SERVER_PORT = 5555;
    static final HostPort DEFAULT_CONNECT = new HostPort("127.0.0.1", DEFAULT_SERVER_PORT);
    /** Without --headless or --daemon: the workbench window. */
    static final List<String> DEFAULT_FEATURES = List.of("core", "server", "shell", "ui");
    static final List<String> DEFAULT_HEADLESS_FEATURES = List.of("core", "server", "shell");
    static final String SERVER_FEATURE = "server";

    private final Path userHome;

    /** @param userHome where the default data directory {@code ~/.peerchat} lives */
    OptionParser(Path userHome) {
        this.userHome = userHome;
    }

    Options parse(List<String> args) throws UsageException {
        boolean help = false;
        Mode mode = null;
        HostPort server = null;
        HostPort connect = null;
        String name = "";
        int udpPort = 0;
        Path data = userHome.resolve(".peerchat");
        List<String> features = null;

        Arguments arguments = new Arguments(args);
        while (arguments.hasNext()) {
            String option = arguments.nextOption();
            switch (option) {
                case "--help", "-h" -> help = true;
                case "--headless" -> mode = chooseMode(mode, Mode.HEADLESS);
                case "--daemon" -> mode = chooseMode(mode, Mode.DAEMON);
                case "--server" -> {
                    String value = arguments.optionalValue();
                    server = value == null
                            ? new HostPort("", DEFAULT_SERVER_PORT)
                            : hostPort(option, value, false, 0);
                }
                case "--connect" -> connect = hostPort(option, arguments.value(option), true, 1);
                case "--name" -> name = name(arguments.value(option));
                case "--udp-port" -> udpPort = port(option, arguments.value(option));
                case "--data" -> data = dataDirectory(arguments.value(option));
                case "--features" -> features = featureList(arguments.value(option));
                default -> throw new UsageException(option.startsWith("-")
                        ? "unknown option " + option
                        : "unexpected argument '" + option + "'");
            }
        }
        Mode chosen = mode == null ? Mode.UI : mode;
        if (features == null) {
            features = chosen == Mode.UI ? DEFAULT_FEATURES : DEFAULT_HEADLESS_FEATURES;
        }
        if (connect == null) {
            connect = server == null ? DEFAULT_CONNECT : ownServer(server);
        }
        if (server != null && !features.contains(SERVER_FEATURE)) {
            List<String> withServer = new ArrayList<>(features);
            withServer.add(SERVER_FEATURE);
            features = List.copyOf(withServer);
        }
        return new Options(help, chosen, server, connect, name, udpPort, data, features);
    }

    /** Without --connect, a workbench that hosts a server uses that one: 127.0.0.1 unless bound elsewhere. */
    private static HostPort ownServer(HostPort server) {
        if (server.port() == 0) {
            return DEFAULT_CONNECT;
        }
        String host = server.allInterfaces() || server.host().equals("0.0.0.0") || server.host().equals("::")
                ? "127.0.0.1"
                : server.host();
        return new HostPort(host, server.port());
    }

    private static Mode chooseMode(Mode chosen, Mode wanted) throws UsageException {
        if (chosen != null && chosen != wanted) {
            throw new UsageException("--headless and --daemon exclude each other");
        }
        return wanted;
    }

    private static HostPort hostPort(String option, String value, boolean hostRequired, int lowestPort)
            throws UsageException {
        try {
            return HostPort.parse(value, hostRequired, lowestPort);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option " + option + ": " + e.getMessage());
        }
    }

    private static int port(String option, String value) throws UsageException {
        try {
            return HostPort.parsePort(value, 0);
        } catch (IllegalArgumentException e) {
            throw new UsageException("option " + option + ": " + e.getMessage());
        }
    }

    private static String name(String value) throws UsageException {
        String name = value.strip();
        if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException("option --name: '" + value + "' is not a user name (one word, not empty)");
        }
        return name;
    }

    private Path dataDirectory(String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException("option --data: the directory name is empty");
        }
        Path path = value.equals("~") ? userHome
                : value.startsWith("~/") ? userHome.resolve(value.substring(2))
                : Path.of(value);
        return path.toAbsolutePath().normalize();
    }

    private static List<String> featureList(String value) throws UsageException {
        Set<String> names = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new UsageException("option --features: '" + value + "' has an empty feature name");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** Walks the arguments, splitting {@code --option=value}. */
    private static final class Arguments {

        private final List<String> args;
        private int next;
        private String inlineValue;

        Arguments(List<String> args) {
            this.args = args;
        }

        boolean hasNext() {
            return next < args.size();
        }

        String nextOption() throws UsageException {
            String arg = args.get(next++);
            inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 2) {
                inlineValue = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
                if (!takesValue(arg)) {
                    throw new UsageException(isKnown(arg) ? "option " + arg + " takes no value" : "unknown option " + arg);
                }
            }
            return arg;
        }

        String value(String option) throws UsageException {
            if (inlineValue != null) {
                return inlineValue;
            }
            if (next >= args.size() || args.get(next).startsWith("--")) {
                throw new UsageException("option " + option + " needs a value");
            }
            return args.get(next++);
        }

        /** The next argument if it is not an option, else null. */
        String optionalValue() {
            if (inlineValue != null) {
                return inlineValue;
            }
            if (next < args.size() && !args.get(next).startsWith("-")) {
                return args.get(next++);
            }
            return null;
        }

        private static boolean takesValue(String option) {
            return List.of("--server", "--connect", "--name", "--udp-port", "--data", "--features").contains(option);
        }

        private static boolean isKnown(String option) {
            return takesValue(option) || List.of("--help", "--headless", "--daemon").contains(option);
        }
    }
}
