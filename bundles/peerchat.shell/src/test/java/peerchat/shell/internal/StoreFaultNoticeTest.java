package peerchat.shell.internal;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.Test;

public class StoreFaultNoticeTest {

    @Test
    public void aFaultIsPrintedOnceAndItsEndOnce() {
        FakeChatService chat = new FakeChatService();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StoreFaultNotice notice = new StoreFaultNotice();
        notice.chat = chat;
        notice.console = new PrintStream(out, true, StandardCharsets.UTF_8);

        notice.check();
        chat.fault = Optional.of("disk full");
        notice.check();
        notice.check();
        chat.fault = Optional.empty();
        notice.check();
        notice.check();

        assertEquals("error: cannot store messages: disk full\nmessages can be stored again\n",
                out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}
