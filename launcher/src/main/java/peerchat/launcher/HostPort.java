package peerchat.launcher;

/**
 * A TCP/UDP endpoint as given on the command line: {@code HOST:PORT}, {@code [IPv6]:PORT}, or (where the
 * host may be left out) {@code PORT} and {@code :PORT}. An empty host means all interfaces.
 */
record HostPort(String host, int port) {

    /**
     * @param hostRequired whether {@code PORT} alone is refused
     * @param lowestPort 0 where "any free port" makes sense, else 1
     * @throws IllegalArgumentException with a message that can follow "option --x: "
     */
    static HostPort parse(String text, boolean hostRequired, int lowestPort) {
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        String host;
        String port;
        if (colon < 0) {
            host = "";
            port = value;
        } else {
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (write IPv6 addresses as [ADDRESS]:PORT)");
        }
        if (hostRequired && host.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT");
        }
        if (port.isBlank()) {
            throw new IllegalArgumentException("'" + text + "' has no port number");
        }
        return new HostPort(host, parsePort(port, lowestPort));
    }

    /** @throws IllegalArgumentException when not a number in lowestPort..65535 */
    static int parsePort(String text, int lowestPort) {
        int port;
        try {
            port = Integer.parseInt(text.strip());
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
        if (port < lowestPort || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside " + lowestPort + "..65535");
        }
        return port;
    }

    boolean allInterfaces() {
        return host.isEmpty();
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
