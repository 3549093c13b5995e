package peerchat.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class HostPortTest {

    @Test
    public void hostAndPort() {
        assertEquals(new HostPort("localhost", 5555), HostPort.parse("localhost:5555", true, 1));
        assertEquals(new HostPort("", 5555), HostPort.parse("5555", false, 0));
        assertEquals(new HostPort("", 0), HostPort.parse(":0", false, 0));
        assertEquals(new HostPort("fe80::1", 80), HostPort.parse("[fe80::1]:80", true, 1));
    }

    @Test
    public void printsIpv6InBrackets() {
        assertEquals("[::1]:5555", new HostPort("::1", 5555).toString());
        assertEquals("127.0.0.1:5555", new HostPort("127.0.0.1", 5555).toString());
        assertEquals(":5555", new HostPort("", 5555).toString());
        assertTrue(new HostPort("", 1).allInterfaces());
    }

    @Test
    public void refusesWhatIsNotAnEndpoint() {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("5555", true, 1));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:port", true, 1));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host:0", true, 1));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("::1:80", true, 1));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("", false, 0));
    }
}
