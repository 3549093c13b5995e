package peerchat.shell.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.ServerInfo;

/** How each command shows its items: one item per line, no decoration. */
final class Lines {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private Lines() {
    }

    /** {@code NAME HOST:PORT presence} */
    static String rosterLine(RosterEntry entry) {
        return entry.name() + " " + entry.address() + " " + entry.presence().name().toLowerCase(Locale.ROOT);
    }

    /** {@code HH:mm:ss FROM -> TO: TEXT}, line breaks in TEXT shown as \n so one message stays one line. */
    static String historyLine(ChatMessage message, ZoneId zone) {
        return CLOCK.format(message.time().atZone(zone)) + " " + message.from() + " -> " + message.to() + ": "
                + oneLine(message.text());
    }

    /** {@code delivered NAME}, {@code sent NAME} or {@code undelivered NAME: REASON}. */
    static String outcomeLine(String name, DeliveryResult result) {
        return switch (result.status()) {
            case DELIVERED -> "delivered " + name;
            case SENT -> "sent " + name;
            case SENDING -> "undelivered " + name + ": no outcome yet";
            case FAILED -> "undelivered " + name + ": "
                    + (result.reason() == null || result.reason().isBlank() ? "no reason given" : result.reason());
        };
    }

    /** {@code running HOST:PORT} or {@code stopped}, {@code clients N}, then one client name per line. */
    static List<String> serverLines(ServerInfo info) {
        List<String> lines = new ArrayList<>();
        lines.add(info.running() && info.address() != null ? "running " + info.address() : "stopped");
        List<String> clients = info.clients() == null ? List.of() : info.clients();
        lines.add("clients " + clients.size());
        lines.addAll(clients);
        return lines;
    }

    static String error(String message) {
        return "error: " + oneLine(message);
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
