package peerchat.shell.internal;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.ServerInfo;

/** How each command shows its items: one item per line, no decoration. */
final class Lines {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DAY_AND_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss",
            Locale.ROOT);

    private Lines() {
    }

    /** {@code NAME HOST:PORT presence}, then {@code legacy} for original clients and the status text in quotes. */
    static String rosterLine(RosterEntry entry) {
        StringBuilder line = new StringBuilder()
                .append(entry.name()).append(' ').append(entry.address()).append(' ')
                .append(entry.presence().name().toLowerCase(Locale.ROOT));
        if (entry.legacy()) {
            line.append(" legacy");
        }
        if (entry.status() != null && !entry.status().isBlank()) {
            line.append(" \"").append(oneLine(entry.status())).append('"');
        }
        return line.toString();
    }

    /**
     * {@code HH:mm:ss FROM -> TO: TEXT}, with the date in front ({@code yyyy-MM-dd HH:mm:ss}) when it is
     * not {@code today}, and a mark after an outgoing message that is not delivered: {@code [queued]},
     * {@code [sending]}, {@code [failed: REASON]}. Line breaks in TEXT are shown as \n so one message
     * stays one line.
     */
    static String historyLine(ChatMessage message, ZoneId zone, LocalDate today) {
        ZonedDateTime time = message.time().atZone(zone);
        String when = time.toLocalDate().equals(today) ? CLOCK.format(time) : DAY_AND_CLOCK.format(time);
        return when + " " + message.from() + " -> " + message.to() + ": " + oneLine(message.text())
                + mark(message);
    }

    private static String mark(ChatMessage message) {
        if (!message.outgoing()) {
            return "";
        }
        return switch (message.status()) {
            case DELIVERED, SENT -> "";
            case QUEUED -> " [queued]";
            case SENDING -> " [sending]";
            case FAILED -> " [failed: " + oneLine(reasonOrNone(message.reason())) + "]";
        };
    }

    private static String reasonOrNone(String reason) {
        return reason == null || reason.isBlank() ? "no reason given" : reason;
    }

    /** {@code NAME online|away|busy|offline}, then {@code last seen ISO-8601} for an offline contact seen before. */
    static String contactLine(Contact contact) {
        String presence = contact.presence() == null ? "offline" : contact.presence().name().toLowerCase(Locale.ROOT);
        String line = contact.name() + " " + presence;
        if (contact.presence() == null && contact.lastSeen() != null) {
            line += " last seen " + contact.lastSeen().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        }
        return line;
    }

    /** {@code delivered NAME}, {@code sent NAME} or {@code undelivered NAME: REASON}. */
    static String outcomeLine(String name, DeliveryResult result) {
        return switch (result.status()) {
            case DELIVERED -> "delivered " + name;
            case SENT -> "sent " + name;
            case SENDING -> "undelivered " + name + ": no outcome yet";
            case QUEUED -> "queued " + name + " ("
                    + (result.reason() == null || result.reason().isBlank() ? "offline" : result.reason()) + ")";
            case FAILED -> "undelivered " + name + ": " + reasonOrNone(result.reason());
        };
    }

    /**
     * {@code running HOST:PORT} (then {@code uptime}, {@code frames in N out M}, {@code rejects ...}) or
     * {@code stopped}; {@code clients N}, then one client name per line.
     */
    static List<String> serverLines(ServerInfo info) {
        List<String> lines = new ArrayList<>();
        if (info.running() && info.address() != null) {
            lines.add("running " + info.address());
            lines.add("uptime " + uptime(info.uptime()));
            lines.add("frames in " + info.framesIn() + " out " + info.framesOut());
            lines.add("rejects " + rejects(info.rejects()));
        } else {
            lines.add("stopped");
        }
        List<String> clients = info.clients() == null ? List.of() : info.clients();
        lines.add("clients " + clients.size());
        lines.addAll(clients);
        return lines;
    }

    /** {@code 1h 02m 03s}, {@code 4m 05s} or {@code 6s}. */
    static String uptime(Duration uptime) {
        long seconds = uptime.toSeconds();
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm %02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", seconds / 60, seconds % 60);
        }
        return seconds + "s";
    }

    /** {@code none} or {@code reason=count ...} sorted by reason. */
    static String rejects(Map<String, Long> rejects) {
        if (rejects.isEmpty()) {
            return "none";
        }
        StringJoiner joined = new StringJoiner(" ");
        new TreeMap<>(rejects).forEach((reason, count) -> joined.add(reason + "=" + count));
        return joined.toString();
    }

    static String error(String message) {
        return "error: " + oneLine(message);
    }

    private static String oneLine(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
