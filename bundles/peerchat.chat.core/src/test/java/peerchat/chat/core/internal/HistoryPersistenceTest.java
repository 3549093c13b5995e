package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;

/** The engine built twice on the same file, as after a restart of the bundle. */
public class HistoryPersistenceTest {

    private static final Instant NOW = Instant.parse("2026-11-02T10:15:30Z");
    private static final PeerAddress BOB = new PeerAddress("10.0.0.2", 40001);

    @Rule
    public TemporaryFolder temp = new TemporaryFolder();

    private final List<String> warnings = new ArrayList<>();
    private Path file;
    private FakeRosterClient roster;
    private FakeTransport transport;

    @Before
    public void setUp() {
        file = temp.getRoot().toPath().resolve("history").resolve("messages.tsv");
        roster = new FakeRosterClient().loggedInAs("alice").with("alice", "127.0.0.1", 40000)
                .with("bob", "10.0.0.2", 40001);
        transport = new FakeTransport();
    }

    private ChatEngine start(int perPeer) {
        return new ChatEngine(() -> roster, () -> transport,
                new ChatListeners(List::of, (message, cause) -> warnings.add(message)),
                new HistoryFile(file, (message, cause) -> warnings.add(message)), Clock.fixed(NOW, ZoneOffset.UTC),
                perPeer);
    }

    @Test
    public void historySurvivesARestartWithStatusesAndIdsContinue() {
        ChatEngine first = start(1000);
        first.send("bob", "one");
        transport.last().outcome().complete(new DeliveryResult(DeliveryStatus.DELIVERED, ""));
        first.send("bob", "two");
        transport.last().outcome().complete(new DeliveryResult(DeliveryStatus.FAILED, "timed out"));
        first.messageReceived(new IncomingMessage(BOB, "three", NOW));
        List<ChatMessage> before = first.history("bob", 10);
        first.close();

        ChatEngine second = start(1000);

        assertEquals(before, second.history("bob", 10));
        assertEquals("timed out", second.history("bob", 10).get(1).reason());
        second.messageReceived(new IncomingMessage(BOB, "four", NOW));
        long lastIdBefore = before.get(before.size() - 1).id();
        assertEquals(lastIdBefore + 1, second.history("bob", 1).get(0).id());
        second.close();
        assertEquals(List.of(), warnings);
    }

    @Test
    public void awkwardTextRoundTripsThroughTheFileOneLinePerEvent() throws IOException {
        String awkward = "tab\there\nnew line\r\nback\\slash \\n literal, caf\u00e9, \u4f60\u597d, "
                + "emoji \uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD, bell \u0007, lone \uD83D end";
        ChatEngine first = start(1000);
        first.messageReceived(new IncomingMessage(BOB, awkward, NOW));
        first.close();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("tab\\there\\nnew line\\r\\nback\\\\slash \\\\n literal"));
        assertTrue(lines.get(0), lines.get(0).contains("\uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD"));
        assertTrue(lines.get(0), lines.get(0).contains("bell \\u0007, lone \\ud83d end"));

        ChatEngine second = start(1000);
        assertEquals(awkward, second.history("bob", 1).get(0).text());
        second.close();
    }

    @Test
    public void aMessageStillSendingAtShutdownIsReloadedAsFailed() {
        ChatEngine first = start(1000);
        first.send("bob", "never answered");
        first.close();

        ChatEngine second = start(1000);
        ChatMessage reloaded = second.history("bob", 1).get(0);
        assertEquals(DeliveryStatus.FAILED, reloaded.status());
        assertEquals(ChatEngine.CUT_OFF, reloaded.reason());
        second.close();
    }

    @Test
    public void aTornLineIsSkippedAndTheNextAppendStartsOnItsOwnLine() throws IOException {
        ChatEngine first = start(1000);
        first.messageReceived(new IncomingMessage(BOB, "kept", NOW));
        first.close();
        Files.writeString(file, "2\t2026-11-02T10:1", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        ChatEngine second = start(1000);
        second.messageReceived(new IncomingMessage(BOB, "after crash", NOW));
        second.close();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).startsWith("skipping line 2 of "));

        warnings.clear();
        ChatEngine third = start(1000);
        assertEquals(List.of("kept", "after crash"), ChatEngineTest.texts(third.history("bob", 10)));
        third.close();
        assertEquals(1, warnings.size());
    }

    @Test
    public void aLongFileIsCompactedToWhatMemoryKeeps() throws IOException {
        ChatEngine first = start(1000);
        for (int i = 1; i <= 300; i++) {
            first.messageReceived(new IncomingMessage(BOB, "message " + i, NOW));
        }
        first.close();
        assertEquals(300, Files.readAllLines(file).size());

        ChatEngine second = start(10);
        assertEquals(10, second.history("bob", 100).size());
        second.close();

        List<String> lines = Files.readAllLines(file);
        assertEquals(10, lines.size());
        assertTrue(lines.get(0), lines.get(0).endsWith("message 291"));
        ChatEngine third = start(10);
        assertEquals("message 300", third.history("bob", 1).get(0).text());
        third.close();
    }

    @Test
    public void noFileMeansEmptyHistory() {
        ChatEngine engine = start(1000);
        assertEquals(List.of(), engine.history("bob", 10));
        engine.close();
        assertEquals(List.of(), warnings);
    }
}
