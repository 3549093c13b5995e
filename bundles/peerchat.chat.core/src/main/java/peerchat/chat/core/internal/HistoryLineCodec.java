package peerchat.chat.core.internal;

import java.time.DateTimeException;
import java.time.Instant;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;

/**
 * One history event per line, tab-separated:
 * {@code id time in|out STATUS from to reason text}. A later line with the same id is a status
 * update that replaces the earlier state. Text fields are escaped by {@link TextEscaping}, so a line
 * never contains a raw tab or line break.
 */
final class HistoryLineCodec {

    private static final int FIELDS = 8;
    private static final String OUT = "out";
    private static final String IN = "in";

    private HistoryLineCodec() {
    }

    static String encode(ChatMessage message) {
        return String.join("\t",
                Long.toString(message.id()),
                message.time().toString(),
                message.outgoing() ? OUT : IN,
                message.status().name(),
                TextEscaping.escape(message.from()),
                TextEscaping.escape(message.to()),
                TextEscaping.escape(message.reason() == null ? "" : message.reason()),
                TextEscaping.escape(message.text()));
    }

    /** @throws IllegalArgumentException with a short reason when the line is not a history event */
    static ChatMessage decode(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != FIELDS) {
            throw new IllegalArgumentException("expected " + FIELDS + " fields, found " + fields.length);
        }
        return new ChatMessage(id(fields[0]), time(fields[1]), TextEscaping.unescape(fields[4]),
                TextEscaping.unescape(fields[5]), TextEscaping.unescape(fields[7]), outgoing(fields[2]),
                status(fields[3]), TextEscaping.unescape(fields[6]));
    }

    private static long id(String field) {
        try {
            long id = Long.parseLong(field);
            if (id <= 0) {
                throw new IllegalArgumentException("id must be positive: " + field);
            }
            return id;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad id: " + field, e);
        }
    }

    private static Instant time(String field) {
        try {
            return Instant.parse(field);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("bad time: " + field, e);
        }
    }

    private static boolean outgoing(String field) {
        return switch (field) {
            case OUT -> true;
            case IN -> false;
            default -> throw new IllegalArgumentException("bad direction (in or out): " + field);
        };
    }

    private static DeliveryStatus status(String field) {
        for (DeliveryStatus status : DeliveryStatus.values()) {
            if (status.name().equals(field)) {
                return status;
            }
        }
        throw new IllegalArgumentException("bad status: " + field);
    }
}
