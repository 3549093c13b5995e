package peerchat.api.dto;

import java.util.List;

/**
 * What the embedded roster server is doing.
 *
 * @param running whether it accepts connections
 * @param address the bound TCP address; null when not running
 * @param clients names of the logged-in clients, sorted
 */
public record ServerInfo(boolean running, PeerAddress address, List<String> clients) {
}
