package peerchat.ui.admin.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Server view's live log: from one list of connected clients to the next, who logged in and who
 * logged out, plus the server's own starts and stops. Keeps the last {@value #LIMIT} lines.
 */
final class ClientLog {

    static final int LIMIT = 500;

    private final DateTimeFormatter time;
    private final Deque<String> lines = new ArrayDeque<>();
    private Set<String> clients = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private Boolean running;

    ClientLog(ZoneId zone) {
        time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    }

    /** @return whether anything was added */
    boolean update(Instant now, boolean nowRunning, String address, List<String> nowClients) {
        int before = lines.size() + dropped;
        String at = time.format(now);
        if (running == null || running != nowRunning) {
            if (running != null || nowRunning) {
                add(nowRunning ? Texts.get("log.started", at, address) : Texts.get("log.stopped", at));
            }
            running = nowRunning;
        }
        Set<String> next = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        next.addAll(nowClients);
        for (String name : next) {
            if (!clients.contains(name)) {
                add(Texts.get("log.in", at, name));
            }
        }
        for (String name : clients) {
            if (!next.contains(name)) {
                add(Texts.get("log.out", at, name));
            }
        }
        clients = next;
        return lines.size() + dropped != before;
    }

    private int dropped;

    private void add(String line) {
        lines.addLast(line);
        if (lines.size() > LIMIT) {
            lines.removeFirst();
            dropped++;
        }
    }

    List<String> lines() {
        return new ArrayList<>(lines);
    }
}
