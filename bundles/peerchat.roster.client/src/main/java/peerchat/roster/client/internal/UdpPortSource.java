package peerchat.roster.client.internal;

import java.util.OptionalInt;

/** Tells the engine which UDP port to announce: the local transport's, if there is one. */
@FunctionalInterface
public interface UdpPortSource {
    OptionalInt udpPort();
}
