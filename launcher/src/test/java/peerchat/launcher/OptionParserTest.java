package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

public class OptionParserTest {

    private final Path home = Path.of("/home/alice");
    private final OptionParser parser = new OptionParser(home);

    @Test
    public void defaults() throws UsageException {
        Options options = parse();
        assertFalse(options.help());
        assertEquals(Mode.UI, options.mode());
        assertNull(options.server());
        assertEquals(new HostPort("127.0.0.1", 5555), options.connect());
        assertEquals("", options.name());
        assertFalse(options.logsIn());
        assertEquals(0, options.udpPort());
        assertEquals(Path.of("/home/alice/.peerchat"), options.data());
        assertEquals(List.of("core", "server", "shell", "ui"), options.features());
        assertEquals(List.of("core", "server", "shell"), parse("--headless").features());
        assertEquals(List.of("core", "server", "shell"), parse("--daemon").features());
    }

    @Test
    public void modes() throws UsageException {
        assertEquals(Mode.HEADLESS, parse("--headless").mode());
        assertEquals(Mode.DAEMON, parse("--daemon").mode());
        assertEquals(Mode.DAEMON, parse("--daemon", "--daemon").mode());
        assertUsage("--headless and --daemon exclude each other", "--headless", "--daemon");
    }

    @Test
    public void serverWithoutValueUsesPort5555OnAllInterfaces() throws UsageException {
        Options options = parse("--server", "--name", "alice");
        assertEquals(new HostPort("", 5555), options.server());
        assertEquals("alice", options.name());
        assertEquals("a workbench hosting a server uses it", new HostPort("127.0.0.1", 5555), options.connect());
    }

    @Test
    public void serverPortAndHost() throws UsageException {
        Options port = parse("--server", "6000");
        assertEquals(new HostPort("", 6000), port.server());
        assertEquals(new HostPort("127.0.0.1", 6000), port.connect());

        Options hostAndPort = parse("--server", "10.1.2.3:6001");
        assertEquals(new HostPort("10.1.2.3", 6001), hostAndPort.server());
        assertEquals(new HostPort("10.1.2.3", 6001), hostAndPort.connect());

        Options explicitConnect = parse("--server", "6000", "--connect", "example.org:7000");
        assertEquals(new HostPort("example.org", 7000), explicitConnect.connect());

        assertEquals(new HostPort("", 6002), parse("--server=:6002").server());
        assertEquals(new HostPort("::1", 6003), parse("--server", "[::1]:6003").server());
    }

    @Test
    public void serverAddsTheServerFeatureOnce() throws UsageException {
        assertEquals(List.of("core", "shell", "server"), parse("--features", "core,shell", "--server").features());
        assertEquals(List.of("core", "server", "shell", "ui"), parse("--server", "7000").features());
        assertEquals(List.of("core", "server", "shell"), parse("--headless", "--server", "7000").features());
        assertEquals(List.of("core", "shell"), parse("--features", "core,shell").features());
    }

    @Test
    public void badServerAddress() {
        assertUsage("option --server: 'x' is not a port number", "--server", "x");
        assertUsage("option --server: port 70000 is outside 0..65535", "--server", "70000");
        assertUsage("option --server: '::1:5' is not HOST:PORT (write IPv6 addresses as [ADDRESS]:PORT)", "--server", "::1:5");
    }

    @Test
    public void connect() throws UsageException {
        assertEquals(new HostPort("chat.example.org", 5556), parse("--connect", "chat.example.org:5556").connect());
        assertEquals(new HostPort("127.0.0.1", 5557), parse("--connect=127.0.0.1:5557").connect());
        assertUsage("option --connect: '5555' is not HOST:PORT", "--connect", "5555");
        assertUsage("option --connect: port 0 is outside 1..65535", "--connect", "localhost:0");
        assertUsage("option --connect: 'localhost:' has no port number", "--connect", "localhost:");
        assertUsage("option --connect needs a value", "--connect");
        assertUsage("option --connect needs a value", "--connect", "--headless");
    }

    @Test
    public void name() throws UsageException {
        assertEquals("bob", parse("--name", "bob").name());
        assertTrue(parse("--name=bob").logsIn());
        assertUsage("option --name: '' is not a user name (one word, not empty)", "--name", "");
        assertUsage("option --name: 'bob smith' is not a user name (one word, not empty)", "--name", "bob smith");
        assertUsage("option --name needs a value", "--name");
    }

    @Test
    public void udpPort() throws UsageException {
        assertEquals(40000, parse("--udp-port", "40000").udpPort());
        assertEquals(0, parse("--udp-port", "0").udpPort());
        assertUsage("option --udp-port: 'abc' is not a port number", "--udp-port", "abc");
        assertUsage("option --udp-port: port -1 is outside 0..65535", "--udp-port", "-1");
        assertUsage("option --udp-port: port 65536 is outside 0..65535", "--udp-port", "65536");
    }

    @Test
    public void dataDirectoryIsAbsoluteAndExpandsTilde() throws UsageException {
        assertEquals(Path.of("/tmp/bob"), parse("--data", "/tmp/bob/").data());
        assertEquals(Path.of("/home/alice/chat"), parse("--data", "~/chat").data());
        assertEquals(Path.of("relative").toAbsolutePath(), parse("--data", "relative").data());
        assertUsage("option --data: the directory name is empty", "--data", "");
    }

    @Test
    public void features() throws UsageException {
        assertEquals(List.of("core", "shell"), parse("--features", " core, shell,core").features());
        assertUsage("option --features: 'core,,shell' has an empty feature name", "--features", "core,,shell");
        assertUsage("option --features: '' has an empty feature name", "--features", "");
    }

    @Test
    public void help() throws UsageException {
        assertTrue(parse("--help").help());
        assertTrue(parse("-h").help());
    }

    @Test
    public void unknownOptionsAndArguments() {
        assertUsage("unknown option --foo", "--foo");
        assertUsage("unknown option -x", "-x");
        assertUsage("unknown option --foo", "--foo=1");
        assertUsage("unexpected argument 'alice'", "alice");
        assertUsage("option --headless takes no value", "--headless=yes");
    }

    private Options parse(String... args) throws UsageException {
        return parser.parse(List.of(args));
    }

    private void assertUsage(String message, String... args) {
        try {
            parser.parse(List.of(args));
            fail("accepted " + List.of(args));
        } catch (UsageException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
