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
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter shortTime;

    TranscriptFormat(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(zone);
        this.dateTime = DateTimeFormatter.ofLocalizedDateTime(java.time.format.FormatStyle.SHORT)
                .withLocale(java.util.Locale.getDefault()).withZone(zone);
        this.shortTime = DateTimeFormatter.ofLocalizedTime(java.time.format.FormatStyle.SHORT)
                .withLocale(java.util.Locale.getDefault()).withZone(zone);
    }

    String time(ChatMessage message) {
        return time.format(message.time());
    }

    /** Like {@link #dateTime} but only the time for an instant of the same day as {@code now} (last seen). */
    String shortDateTime(java.time.Instant instant, java.time.Instant now) {
        java.time.ZoneId zone = dateTime.getZone();
        if (instant.atZone(zone).toLocalDate().equals(now.atZone(zone).toLocalDate())) {
            return shortTime.format(instant);
        }
        return dateTime.format(instant);
    }

    /** Date and time in the user's style, e.g. {@code 11/25/26, 2:03 PM} (search results, last seen). */
    String dateTime(java.time.Instant instant) {
        return dateTime.format(instant);
    }

    /** The delivery mark after an outgoing message; empty for incoming ones. */
    static String mark(ChatMessage message) {
        if (!message.outgoing()) {
            return "";
        }
        return switch (message.status()) {
            case SENDING -> Texts.get("mark.sending");
            case QUEUED -> Texts.get("mark.queued");
            case DELIVERED -> Texts.get("mark.delivered");
            case SENT -> Texts.get("mark.sent");
            case FAILED -> message.reason() == null || message.reason().isBlank() ? Texts.get("mark.failed")
                    : Texts.get("mark.failedBecause", message.reason());
        };
    }

    /**
     * The mark with the failure time: {@code ✗ failed 14:03:20: no answer} ({@code failedAt}: when the
     * failure was seen here; null for one from the history, which shows the message's own time).
     */
    String mark(ChatMessage message, java.time.Instant failedAt) {
        if (!message.outgoing() || message.status() != peerchat.api.dto.DeliveryStatus.FAILED) {
            return mark(message);
        }
        String at = time.format(failedAt == null ? message.time() : failedAt);
        return message.reason() == null || message.reason().isBlank() ? Texts.get("mark.failedAt", at)
                : Texts.get("mark.failedAtBecause", at, message.reason());
    }

    /** The tool tip of an outgoing message's mark: what its state means; null for incoming ones. */
    static String tip(ChatMessage message, String peer) {
        if (!message.outgoing()) {
            return null;
        }
        return switch (message.status()) {
            case SENDING -> Texts.get("mark.sending.tip", peer);
            case QUEUED -> Texts.get("mark.queued.tip", peer);
            case DELIVERED -> Texts.get("mark.delivered.tip", peer);
            case SENT -> Texts.get("mark.sent.tip", peer);
            case FAILED -> Texts.get("mark.failed.tip", peer);
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
