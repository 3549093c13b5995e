package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryStatus;

public class HistoryImportTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    private final List<String> warnings = new ArrayList<>();

    private static String line(long id, String text, DeliveryStatus status) {
        return HistoryLineCodec.encode(new ChatMessage(id, Instant.parse("2026-11-02T10:15:30Z"), "alice", "bob", text,
                true, status, ""));
    }

    private List<ChatMessage> read(String content) throws Exception {
        Path file = folder.newFile("messages.tsv").toPath();
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return HistoryImport.read(file, (message, cause) -> warnings.add(message));
    }

    @Test
    public void theLatestStateOfEachMessageInFirstWrittenOrder() throws Exception {
        List<ChatMessage> read = read(line(1, "one", DeliveryStatus.SENDING) + "\n" + line(2, "two", DeliveryStatus.SENDING)
                + "\n" + line(1, "one", DeliveryStatus.DELIVERED) + "\n");

        assertEquals(List.of("one", "two"), read.stream().map(ChatMessage::text).toList());
        assertEquals(DeliveryStatus.DELIVERED, read.get(0).status());
        assertTrue(warnings.isEmpty());
    }

    @Test
    public void aRecordGluedOntoATornLineIsKept() throws Exception {
        String torn = line(24, "torn by a full disk", DeliveryStatus.SENDING);
        torn = torn.substring(0, torn.length() - 8);
        List<ChatMessage> read = read(line(23, "before", DeliveryStatus.DELIVERED) + "\n"
                + torn + line(25, "glued after the disk had room again", DeliveryStatus.SENDING) + "\n"
                + line(25, "glued after the disk had room again", DeliveryStatus.DELIVERED) + "\n"
                + line(26, "after", DeliveryStatus.DELIVERED) + "\n");

        assertEquals(List.of("before", "glued after the disk had room again", "after"),
                read.stream().map(ChatMessage::text).toList());
        assertEquals(25, read.get(1).id());
        assertEquals(DeliveryStatus.DELIVERED, read.get(1).status());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("kept the record glued to it (id 25)"));
    }

    @Test
    public void aTornLastLineIsSkippedWithAWarning() throws Exception {
        String torn = line(2, "half", DeliveryStatus.SENDING);
        List<ChatMessage> read = read(line(1, "whole", DeliveryStatus.DELIVERED) + "\n" + torn.substring(0, 20));

        assertEquals(List.of("whole"), read.stream().map(ChatMessage::text).toList());
        assertTrue(warnings.get(0), warnings.get(0).contains("nothing readable in it"));
    }
}
