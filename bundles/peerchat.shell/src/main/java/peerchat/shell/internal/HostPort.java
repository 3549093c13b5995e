package peerchat.shell.internal;

import peerchat.api.dto.PeerAddress;

/**
 * Parses the addresses typed in the shell: {@code HOST:PORT} for a server to connect to and
 * {@code [HOST:]PORT} for an address to listen on. IPv6 hosts go in brackets: {@code [::1]:5555}.
 */
final class HostPort {

    /** Where to listen; a null host means all interfaces. */
    record Listen(String host, int port) {
        @Override
        public String toString() {
            return host == null ? "port " + port : new PeerAddress(host, port).toString();
        }
    }

    private HostPort() {
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static PeerAddress parseEndpoint(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = portSeparator(trimmed);
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got: " + trimmed);
        }
        String host = host(trimmed.substring(0, colon), trimmed);
        return new PeerAddress(host, port(trimmed.substring(colon + 1), 1));
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static Listen parseListen(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = portSeparator(trimmed);
        if (colon < 0) {
            return new Listen(null, port(trimmed, 0));
        }
        return new Listen(host(trimmed.substring(0, colon), trimmed), port(trimmed.substring(colon + 1), 0));
    }

    /** The colon before the port: the last one, unless it sits inside an IPv6 bracket. */
    private static int portSeparator(String text) {
        int colon = text.lastIndexOf(':');
        return colon < text.lastIndexOf(']') ? -1 : colon;
    }

    private static String host(String host, String whole) {
        String plain = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (plain.isBlank()) {
            throw new IllegalArgumentException("missing host in: " + whole);
        }
        if (plain.contains(":") && !host.startsWith("[")) {
            throw new IllegalArgumentException("put an IPv6 host in brackets, e.g. [::1]:5555, got: " + whole);
        }
        return plain;
    }

    private static int port(String text, int lowest) {
        try {
            int port = Integer.parseInt(text);
            if (port >= lowest && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // falls through to the one message for every bad port
        }
        throw new IllegalArgumentException("port must be a number from " + lowest + " to 65535, got: " + text);
    }
}
