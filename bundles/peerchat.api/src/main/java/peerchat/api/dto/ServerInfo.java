package peerchat.api.dto;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the embedded roster server is doing.
 *
 * @param running   whether it accepts connections
 * @param address   the bound TCP address; null when not running
 * @param clients   names of the logged-in clients, sorted
 * @param uptime    how long it has been listening; zero when not running
 * @param framesIn  frames received from clients since it started (legacy lines count as frames)
 * @param framesOut frames queued to clients since it started
 * @param rejects   connections refused or dropped since it started, by reason, sorted by reason:
 *                  the protocol's error names in lower case ({@code name_taken},
 *                  {@code too_many_requests}, {@code timeout}...) and {@code slow_reader}
 * @since 1.1
 */
public record ServerInfo(boolean running, PeerAddress address, List<String> clients, Duration uptime, long framesIn,
        long framesOut, Map<String, Long> rejects) {

    public ServerInfo {
        clients = clients == null ? List.of() : List.copyOf(clients);
        uptime = uptime == null ? Duration.ZERO : uptime;
        rejects = rejects == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(rejects));
    }

    /** Without counters: no uptime, no frames, no rejects (the version 1.0 shape). */
    public ServerInfo(boolean running, PeerAddress address, List<String> clients) {
        this(running, address, clients, Duration.ZERO, 0, 0, Map.of());
    }
}
