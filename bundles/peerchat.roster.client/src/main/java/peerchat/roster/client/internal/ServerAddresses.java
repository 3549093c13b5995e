package peerchat.roster.client.internal;

import peerchat.api.dto.PeerAddress;
import peerchat.roster.protocol.Protocol;

/** Reads a roster server address as people write it: {@code host}, {@code host:port}, {@code [v6]:port}. */
public final class ServerAddresses {

    private ServerAddresses() {
    }

    /**
     * @throws IllegalArgumentException with a readable message for an empty host or a bad port
     */
    public static PeerAddress parse(String text) {
        String s = text == null ? "" : text.trim();
        String host;
        String port = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("bad server address '" + s + "': missing ']'");
            }
            host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("bad server address '" + s + "': expected ':PORT' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = s.substring(s.indexOf(':') + 1);
        } else {
            host = s; // a name, an IPv4 address or a bare IPv6 address
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("bad server address '" + s + "': no host (expected HOST:PORT)");
        }
        return new PeerAddress(host, port == null ? Protocol.DEFAULT_PORT : parsePort(s, port));
    }

    private static int parsePort(String address, String port) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 1 && value <= 0xFFFF) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the whole address
        }
        throw new IllegalArgumentException("bad server address '" + address + "': port must be 1-65535");
    }
}
