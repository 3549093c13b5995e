package peerchat.api.dto;

/** A host and port: a peer's UDP endpoint or a roster server's TCP endpoint. */
public record PeerAddress(String host, int port) {
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
