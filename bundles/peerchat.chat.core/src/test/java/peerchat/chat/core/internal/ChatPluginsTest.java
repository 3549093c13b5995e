package peerchat.chat.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import peerchat.api.chat.ChatCommand;
import peerchat.api.chat.MessageInterceptor;
import peerchat.api.chat.MessageInterceptor.Direction;

public class ChatPluginsTest {

    private final List<Map.Entry<Map<String, Object>, MessageInterceptor>> interceptors = new ArrayList<>();
    private final List<Map.Entry<Map<String, Object>, ChatCommand>> commands = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final ChatPlugins plugins = new ChatPlugins(() -> interceptors, () -> commands,
            (message, cause) -> {
                synchronized (warnings) {
                    warnings.add(message);
                }
            }, Duration.ofMillis(200));
    private final CountDownLatch release = new CountDownLatch(1);

    @After
    public void tearDown() {
        release.countDown();
        plugins.close();
    }

    private static <S> Map.Entry<Map<String, Object>, S> service(long id, int ranking, S service, Object... more) {
        Map<String, Object> props = new java.util.HashMap<>(Map.of("service.id", id, "service.ranking", ranking));
        for (int i = 0; i + 1 < more.length; i += 2) {
            props.put((String) more[i], more[i + 1]);
        }
        return Map.entry(props, service);
    }

    @Test
    public void interceptorsRunHighestRankingFirstAndChain() {
        interceptors.add(service(1, 0, (d, p, t) -> t + " [low]"));
        interceptors.add(service(2, 10, (d, p, t) -> t + " [high]"));
        assertEquals("hi [high] [low]", plugins.intercept(Direction.OUTGOING, "bob", "hi").text());
    }

    @Test
    public void directionPropertyLimitsWhatAnInterceptorSees() {
        interceptors.add(service(1, 0, (d, p, t) -> t.toUpperCase(), MessageInterceptor.DIRECTION, "incoming"));
        assertEquals("hi", plugins.intercept(Direction.OUTGOING, "bob", "hi").text());
        assertEquals("HI", plugins.intercept(Direction.INCOMING, "bob", "hi").text());
    }

    @Test
    public void nullStopsTheMessageAndNamesWhoStoppedIt() {
        interceptors.add(service(1, 5, (d, p, t) -> t.contains("spam") ? null : t));
        interceptors.add(service(2, 0, (d, p, t) -> t + "!"));
        ChatPlugins.Result result = plugins.intercept(Direction.INCOMING, "bob", "buy spam");
        assertNull(result.text());
        assertTrue(result.stoppedBy(), result.stoppedBy().startsWith(ChatPluginsTest.class.getName()));
    }

    @Test
    public void aThrowingInterceptorIsSkippedAndReported() {
        interceptors.add(service(1, 5, (d, p, t) -> {
            throw new IllegalStateException("boom");
        }));
        interceptors.add(service(2, 0, (d, p, t) -> t + "!"));
        assertEquals("hi!", plugins.intercept(Direction.OUTGOING, "bob", "hi").text());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("failed"));
    }

    @Test(timeout = 5000)
    public void aHangingInterceptorTimesOutAndIsSkippedWhileItHangs() throws InterruptedException {
        interceptors.add(service(1, 5, (d, p, t) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                // cancelled: hang on regardless, like a badly written plugin
                try {
                    release.await();
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
            }
            return "never";
        }));
        long start = System.nanoTime();
        assertEquals("one", plugins.intercept(Direction.OUTGOING, "bob", "one").text());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 150);
        long second = System.nanoTime();
        assertEquals("two", plugins.intercept(Direction.OUTGOING, "bob", "two").text());
        assertTrue("skipped at once", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - second) < 150);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0), warnings.get(0).contains("did not answer"));
    }

    @Test
    public void commandsRunByNameIgnoringCaseAndArgsAreTrimmed() {
        commands.add(service(1, 0, command("me", (peer, args) -> "* " + args + " (to " + peer + ")")));
        ChatPlugins.CommandRun run = plugins.run("bob", "/ME   waves  ");
        assertEquals("/me", run.command());
        assertEquals("* waves (to bob)", run.toSend().orElseThrow());
    }

    @Test
    public void theHighestRankingCommandOfANameWinsAndListingShowsItOnce() {
        commands.add(service(1, 0, command("shrug", (p, a) -> "low")));
        commands.add(service(2, 3, command("shrug", (p, a) -> "high")));
        commands.add(service(3, 0, command("me", (p, a) -> "me")));
        assertEquals("high", plugins.run("bob", "/shrug").toSend().orElseThrow());
        assertEquals(List.of("me", "shrug"), plugins.commands().stream().map(ChatCommand::name).toList());
    }

    @Test(expected = IllegalArgumentException.class)
    public void anUnknownCommandIsRefused() {
        plugins.run("bob", "/nope x");
    }

    @Test
    public void aFailingCommandFailsTheSendExplicitly() {
        commands.add(service(1, 0, command("bad", (p, a) -> {
            throw new IllegalStateException("no");
        })));
        ChatPlugins.CommandRun run = plugins.run("bob", "/bad");
        assertEquals("command /bad failed: no", run.failure());
        assertFalse(run.toSend().isPresent());
    }

    @Test
    public void commandLinesAndEscapes() {
        assertTrue(ChatPlugins.isCommand("/me x"));
        assertFalse(ChatPlugins.isCommand("//me"));
        assertFalse(ChatPlugins.isCommand("/"));
        assertFalse(ChatPlugins.isCommand("/ x"));
        assertFalse(ChatPlugins.isCommand("hi /me"));
        assertEquals("/me", ChatPlugins.unescape("//me"));
        assertEquals("hi", ChatPlugins.unescape("hi"));
    }

    private static ChatCommand command(String name, java.util.function.BinaryOperator<String> run) {
        return new ChatCommand() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String help() {
                return "/" + name;
            }

            @Override
            public String execute(String peer, String args) {
                return run.apply(peer, args);
            }
        };
    }
}
