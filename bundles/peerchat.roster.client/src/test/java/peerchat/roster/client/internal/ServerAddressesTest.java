package peerchat.roster.client.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import org.junit.Test;

import peerchat.api.dto.PeerAddress;

public class ServerAddressesTest {

    @Test
    public void hostAndPort() {
        assertEquals(new PeerAddress("127.0.0.1", 5555), ServerAddresses.parse("127.0.0.1:5555"));
        assertEquals(new PeerAddress("chat.example.org", 6000), ServerAddresses.parse(" chat.example.org:6000 "));
    }

    @Test
    public void hostAloneUsesTheDefaultPort() {
        assertEquals(new PeerAddress("server", 5555), ServerAddresses.parse("server"));
        assertEquals(new PeerAddress("fe80::1", 5555), ServerAddresses.parse("fe80::1"));
    }

    @Test
    public void bracketedIpv6() {
        assertEquals(new PeerAddress("::1", 7000), ServerAddresses.parse("[::1]:7000"));
        assertEquals(new PeerAddress("::1", 5555), ServerAddresses.parse("[::1]"));
    }

    @Test
    public void badAddressesAreExplained() {
        expectBad("", "no host");
        expectBad(":5555", "no host");
        expectBad("host:http", "port must be 1-65535");
        expectBad("host:0", "port must be 1-65535");
        expectBad("host:70000", "port must be 1-65535");
        expectBad("[::1", "missing ']'");
        expectBad("[::1]5555", "expected ':PORT'");
    }

    private static void expectBad(String text, String reason) {
        try {
            PeerAddress address = ServerAddresses.parse(text);
            fail("parsed '" + text + "' as " + address);
        } catch (IllegalArgumentException e) {
            assertEquals(true, e.getMessage().contains(reason));
        }
    }
}
