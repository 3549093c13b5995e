package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;

import org.junit.Test;

public class NioDatagramIoTest {

    @Test
    public void aPortInUseGivesAClearMessage() throws Exception {
        try (NioDatagramIo first = NioDatagramIo.bind("127.0.0.1", 0)) {
            int port = first.localAddress().getPort();
            IOException e = assertThrows(IOException.class, () -> NioDatagramIo.bind("127.0.0.1", port));
            assertEquals("cannot bind UDP 127.0.0.1:" + port + ": address already in use", e.getMessage());
        }
    }

    @Test
    public void aPortOutOfRangeGivesAClearMessage() {
        IOException e = assertThrows(IOException.class, () -> NioDatagramIo.bind("0.0.0.0", 70_000));
        assertEquals("cannot bind UDP 0.0.0.0:70000: port out of range 0..65535", e.getMessage());
    }

    @Test
    public void anUnknownHostGivesAClearMessage() {
        IOException e = assertThrows(IOException.class, () -> NioDatagramIo.bind("no-such-host.invalid", 0));
        assertEquals("cannot bind UDP no-such-host.invalid:0: unknown host no-such-host.invalid", e.getMessage());
    }

    @Test
    public void theWildcardAddressIsReportedAsIs() throws Exception {
        try (NioDatagramIo io = NioDatagramIo.bind("0.0.0.0", 0)) {
            assertEquals("0.0.0.0", io.localAddress().getAddress().getHostAddress());
        }
    }
}
