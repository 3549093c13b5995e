package peerchat.chat.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import peerchat.api.dto.ChatMessage;

/**
 * Reads the history file of earlier versions ({@link HistoryLineCodec} lines) for the one-time
 * import into the message store. Loses nothing readable: a line that does not parse is tried again
 * from each later field, because a write torn by a full disk or a crash had the next record glued
 * onto it ({@code 12 ... bo13 2026-... } reads as 9 or more fields); only the torn part is skipped.
 */
final class HistoryImport {

    private static final int MAX_WARNINGS = 5;

    private HistoryImport() {
    }

    /** The latest state of every readable message, in the order they were first written. */
    static List<ChatMessage> read(Path file, ProblemLog problems) throws IOException {
        Map<Long, ChatMessage> latest = new LinkedHashMap<>();
        int lineNumber = 0;
        int skipped = 0;
        // InputStreamReader replaces malformed UTF-8 (a torn last line) instead of failing the read
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    ChatMessage message = HistoryLineCodec.decode(line);
                    latest.put(message.id(), message);
                } catch (IllegalArgumentException e) {
                    ChatMessage glued = gluedRecord(line, latest);
                    if (glued != null) {
                        latest.put(glued.id(), glued);
                    }
                    skipped++;
                    if (skipped <= MAX_WARNINGS) {
                        problems.warn("line " + lineNumber + " of " + file + " is torn (" + e.getMessage() + "): "
                                + (glued != null ? "kept the record glued to it (id " + glued.id() + ")"
                                        : "nothing readable in it"), null);
                    }
                }
            }
        }
        if (skipped > MAX_WARNINGS) {
            problems.warn(skipped + " torn lines in " + file, null);
        }
        return new ArrayList<>(latest.values());
    }

    /**
     * The complete record at the end of a torn line: its last 8 fields, whose first field is the
     * torn field's rest glued to the record's id. The id is the shortest digit suffix of that field
     * that names a known message (a status update) or, failing that, one newer than all known.
     */
    private static ChatMessage gluedRecord(String line, Map<Long, ChatMessage> known) {
        String[] fields = line.split("\t", -1);
        if (fields.length < 8) {
            return null;
        }
        String first = fields[fields.length - 8];
        String rest = String.join("\t", java.util.Arrays.copyOfRange(fields, fields.length - 7, fields.length));
        long newest = known.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        ChatMessage fallback = null;
        for (int start = first.length() - 1; start >= 0 && Character.isDigit(first.charAt(start)); start--) {
            ChatMessage candidate;
            try {
                candidate = HistoryLineCodec.decode(first.substring(start) + "\t" + rest);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (known.containsKey(candidate.id())) {
                return candidate;
            }
            if (fallback == null && candidate.id() > newest) {
                fallback = candidate;
            }
        }
        return fallback;
    }
}
