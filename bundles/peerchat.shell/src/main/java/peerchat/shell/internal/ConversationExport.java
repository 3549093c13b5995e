package peerchat.shell.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;

/**
 * Writes one conversation as JSON lines, oldest first:
 * {@code {"id":7,"time":"2026-…Z","from":"alice","to":"bob","direction":"out","state":"delivered","reason":"","text":"…"}}.
 * The file appears complete or not at all (written beside it, then moved).
 */
final class ConversationExport {

    private static final int PAGE = 1_000;

    private ConversationExport() {
    }

    /** @return how many messages were written */
    static long write(ChatService chat, String peer, Path file) throws IOException {
        // pages come newest first; collect them back to front, then write oldest first
        List<List<ChatMessage>> pages = new ArrayList<>();
        long before = Long.MAX_VALUE;
        while (true) {
            List<ChatMessage> page = chat.history(peer, before, PAGE);
            if (page.isEmpty()) {
                break;
            }
            pages.add(page);
            before = page.get(0).id();
            if (page.size() < PAGE) {
                break;
            }
        }
        Collections.reverse(pages);
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".part");
        long count = 0;
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            for (List<ChatMessage> page : pages) {
                for (ChatMessage message : page) {
                    out.write(json(message));
                    out.write('\n');
                    count++;
                }
            }
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return count;
    }

    static String json(ChatMessage message) {
        return "{\"id\":" + message.id()
                + ",\"time\":" + quote(message.time().toString())
                + ",\"from\":" + quote(message.from())
                + ",\"to\":" + quote(message.to())
                + ",\"direction\":" + quote(message.outgoing() ? "out" : "in")
                + ",\"state\":" + quote(message.status().name().toLowerCase(Locale.ROOT))
                + ",\"reason\":" + quote(message.reason() == null ? "" : message.reason())
                + ",\"text\":" + quote(message.text()) + "}";
    }

    /** A JSON string (RFC 8259): quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
