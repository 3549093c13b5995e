package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

import peerchat.api.dto.PeerAddress;

public class HostPortTest {

    @Test
    public void endpointNeedsHostAndPort() {
        assertEquals(new PeerAddress("127.0.0.1", 5555), HostPort.parseEndpoint("127.0.0.1:5555"));
        assertEquals(new PeerAddress("chat.example.org", 1), HostPort.parseEndpoint(" chat.example.org:1 "));
        assertEquals(new PeerAddress("::1", 6000), HostPort.parseEndpoint("[::1]:6000"));
    }

    @Test
    public void badEndpointsSayWhatIsWrong() {
        assertEquals("expected HOST:PORT, got: localhost", endpointError("localhost"));
        assertEquals("expected HOST:PORT, got: [::1]", endpointError("[::1]"));
        assertEquals("missing host in: :5555", endpointError(":5555"));
        assertEquals("port must be a number from 1 to 65535, got: 0", endpointError("host:0"));
        assertEquals("port must be a number from 1 to 65535, got: 70000", endpointError("host:70000"));
        assertEquals("port must be a number from 1 to 65535, got: http", endpointError("host:http"));
        assertEquals("port must be a number from 1 to 65535, got: ", endpointError("host:"));
        assertEquals("put an IPv6 host in brackets, e.g. [::1]:5555, got: ::1:5555", endpointError("::1:5555"));
    }

    @Test
    public void listenTakesAPortOrHostAndPort() {
        assertEquals(new HostPort.Listen(null, 6000), HostPort.parseListen("6000"));
        assertEquals(new HostPort.Listen(null, 0), HostPort.parseListen("0"));
        assertEquals(new HostPort.Listen("127.0.0.1", 6000), HostPort.parseListen("127.0.0.1:6000"));
        assertEquals(new HostPort.Listen("::", 6000), HostPort.parseListen("[::]:6000"));
        assertEquals("port 6000", new HostPort.Listen(null, 6000).toString());
        assertEquals("127.0.0.1:6000", new HostPort.Listen("127.0.0.1", 6000).toString());
    }

    @Test
    public void badListenAddressesSayWhatIsWrong() {
        assertEquals("port must be a number from 0 to 65535, got: -1",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parseListen("-1")).getMessage());
        assertEquals("port must be a number from 0 to 65535, got: x",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parseListen("host:x")).getMessage());
        assertEquals("missing host in: :6000",
                assertThrows(IllegalArgumentException.class, () -> HostPort.parseListen(":6000")).getMessage());
    }

    private static String endpointError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> HostPort.parseEndpoint(text)).getMessage();
    }
}
