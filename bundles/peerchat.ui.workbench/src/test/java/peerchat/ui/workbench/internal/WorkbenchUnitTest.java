package peerchat.ui.workbench.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.junit.Test;

import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.ServerInfo;
import peerchat.api.server.RosterServer;

/** The parts of the workbench that need no display. */
public class WorkbenchUnitTest {

    @Test
    public void serverAddressesParse() {
        assertEquals(new PeerAddress("127.0.0.1", 5555), WorkbenchComponent.parse("127.0.0.1:5555"));
        assertEquals(new PeerAddress("::1", 7000), WorkbenchComponent.parse("[::1]:7000"));
        assertThrows(IllegalArgumentException.class, () -> WorkbenchComponent.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> WorkbenchComponent.parse("localhost:"));
        assertThrows(IllegalArgumentException.class, () -> WorkbenchComponent.parse("localhost:http"));
        assertThrows(IllegalArgumentException.class, () -> WorkbenchComponent.parse("localhost:70000"));
    }

    @Test
    public void failuresReadAsOneLine() {
        assertEquals("name taken", Messages.describe(new ExecutionException(new IllegalStateException("name taken"))));
        assertEquals("no answer in time", Messages.describe(new TimeoutException()));
        assertEquals("IllegalStateException", Messages.describe(new IllegalStateException()));
        CompletableFuture<Void> failed = CompletableFuture.failedFuture(new java.io.IOException("refused"));
        ExecutionException wrapped = assertThrows(ExecutionException.class, failed::get);
        assertEquals("refused", Messages.describe(wrapped));
    }

    @Test
    public void tasksBeforeTheDisplayWaitAndAfterCloseAreDropped() {
        List<String> problems = new ArrayList<>();
        UiThread ui = new UiThread((message, cause) -> problems.add(message));
        List<String> ran = new ArrayList<>();
        ui.execute(() -> ran.add("early"));
        assertEquals("nothing runs without a display", List.of(), ran);
        assertFalse(ui.isUiThread());
        assertFalse("cannot wait for a UI that is not there", ui.runAndWait(() -> ran.add("now"), 10));
        ui.close();
        ui.execute(() -> ran.add("late"));
        assertEquals(List.of(), ran);
        assertEquals(List.of(), problems);
    }

    @Test
    public void statusOfARunningServer() {
        ServerInfo[] info = { new ServerInfo(true, new PeerAddress("127.0.0.1", 5555), List.of("alice")) };
        RosterServer server = new RosterServer() {
            public ServerInfo start(String host, int port) {
                return info[0];
            }

            public void stop() {
            }

            public ServerInfo info() {
                return info[0];
            }
        };
        assertEquals("server 127.0.0.1:5555 · 1 client", Status.of(null, null, server).server());
        info[0] = new ServerInfo(true, new PeerAddress("127.0.0.1", 5555), List.of("alice", "bob"));
        assertEquals("server 127.0.0.1:5555 · 2 clients", Status.of(null, null, server).server());
        info[0] = new ServerInfo(false, null, List.of());
        assertEquals("server stopped", Status.of(null, null, server).server());
    }

    @Test
    public void statusTellsWhyMessagesCannotBeStored() {
        FakeChat chat = new FakeChat();
        assertEquals("", Status.of(null, null, null, chat).storeFault());
        chat.fault = java.util.Optional.of("disk full");
        assertEquals("cannot store messages: disk full", Status.of(null, null, null, chat).storeFault());
        assertEquals("without a chat core: nothing", "", Status.of(null, null, null, null).storeFault());
    }

    /** Only {@code storeFault} matters to the status bar. */
    static final class FakeChat implements peerchat.api.chat.ChatService {
        volatile java.util.Optional<String> fault = java.util.Optional.empty();

        public java.util.concurrent.CompletionStage<peerchat.api.dto.DeliveryResult> send(String to, String text) {
            throw new UnsupportedOperationException();
        }

        public List<peerchat.api.dto.ChatMessage> history(String peer, int limit) {
            return List.of();
        }

        public List<peerchat.api.dto.ChatMessage> history(String peer, long beforeId, int limit) {
            return List.of();
        }

        public List<peerchat.api.dto.ChatMessage> search(String text, String peer, int limit) {
            return List.of();
        }

        public List<peerchat.api.dto.Contact> contacts() {
            return List.of();
        }

        public java.util.Optional<String> storeFault() {
            return fault;
        }
    }

    @Test
    public void statusWithoutServices() {
        Status status = Status.of(null, null, null);
        assertEquals("no roster client", status.connection());
        assertEquals("not logged in · no UDP transport", status.me());
        assertEquals("no server bundle", status.server());
        assertEquals("", status.storeFault());
    }
}
