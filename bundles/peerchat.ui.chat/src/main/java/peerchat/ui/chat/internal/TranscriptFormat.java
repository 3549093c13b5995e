package peerchat.ui.chat.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import peerchat.api.dto.ChatMessage;

/** How one message reads in a transcript: {@code 14:03:12  alice: hello  ✓}. */
final class TranscriptFormat {

    static final Pattern URL = Pattern.compile("\\bhttps?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]]");

    private final DateTimeFormatter time;

    TranscriptFormat(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
    }

    String time(ChatMessage message) {
        return time.format(message.time());
    }

    /** The delivery mark after an outgoing message; empty for incoming ones. */
    static String mark(ChatMessage message) {
        if (!message.outgoing()) {
            return "";
        }
        return switch (message.status()) {
            case SENDING -> Texts.get("mark.sending");
            case DELIVERED -> Texts.get("mark.delivered");
            case SENT -> Texts.get("mark.sent");
            case FAILED -> message.reason() == null || message.reason().isBlank() ? Texts.get("mark.failed")
                    : Texts.get("mark.failedBecause", message.reason());
        };
    }

    /** Start and end offsets of every URL in the text, pairwise. */
    static int[] urls(String text) {
        Matcher matcher = URL.matcher(text);
        int[] found = new int[0];
        while (matcher.find()) {
            int[] more = java.util.Arrays.copyOf(found, found.length + 2);
            more[found.length] = matcher.start();
            more[found.length + 1] = matcher.end();
            found = more;
        }
        return found;
    }
}
