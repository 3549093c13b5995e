package peerchat.chat.core.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import peerchat.api.chat.ChatCommand;
import peerchat.api.chat.MessageInterceptor;
import peerchat.api.chat.MessageInterceptor.Direction;

/**
 * Runs the plugins of a conversation: {@link MessageInterceptor}s in ranking order and
 * {@link ChatCommand}s by name. Every plugin call runs on a worker thread and is waited for at most
 * {@code timeout}; one that throws or takes longer is skipped and reported, and while a timed-out
 * call is still running the same plugin is skipped at once, so a hung plugin holds one thread, not
 * one per message.
 */
final class ChatPlugins implements AutoCloseable {

    /** What running a command line gave. */
    record CommandRun(String command, String text, String failure) {
        /** Text to send, if the command produced any and did not fail. */
        Optional<String> toSend() {
            return failure == null && text != null && !text.isEmpty() ? Optional.of(text) : Optional.empty();
        }
    }

    private static final String RANKING = "service.ranking";
    private static final String SERVICE_ID = "service.id";

    private final Supplier<List<Map.Entry<Map<String, Object>, MessageInterceptor>>> interceptors;
    private final Supplier<List<Map.Entry<Map<String, Object>, ChatCommand>>> commands;
    private final ProblemLog problems;
    private final TimedCalls calls;

    ChatPlugins(Supplier<List<Map.Entry<Map<String, Object>, MessageInterceptor>>> interceptors,
            Supplier<List<Map.Entry<Map<String, Object>, ChatCommand>>> commands, ProblemLog problems,
            Duration timeout) {
        this.interceptors = interceptors;
        this.commands = commands;
        this.problems = problems;
        this.calls = new TimedCalls("peerchat-chat-plugin-", problems, timeout);
    }

    /** True for a command line: {@code /name…}, but not {@code //…} (an escaped slash) or a lone {@code /}. */
    static boolean isCommand(String text) {
        return text != null && text.length() > 1 && text.charAt(0) == '/' && text.charAt(1) != '/'
                && !Character.isWhitespace(text.charAt(1));
    }

    /** {@code //text} is sent as {@code /text}; anything else as it is. */
    static String unescape(String text) {
        return text != null && text.startsWith("//") ? text.substring(1) : text;
    }

    /**
     * Passes a message through the interceptors for its direction.
     *
     * @return the resulting text, or empty when an interceptor stopped it (then {@code stoppedBy} names it)
     */
    Result intercept(Direction direction, String peer, String text) {
        String current = text;
        for (Map.Entry<Map<String, Object>, MessageInterceptor> entry : sorted(interceptors.get())) {
            if (!wants(entry.getKey(), direction)) {
                continue;
            }
            MessageInterceptor interceptor = entry.getValue();
            String input = current;
            TimedCalls.Answer<String> out = calls.call(interceptor, "message interceptor " + describe(interceptor),
                    () -> interceptor.intercept(direction, peer, input));
            if (out.problem() != null) {
                continue; // failed or hung: skipped, already reported
            }
            if (out.value() == null || out.value().isEmpty()) {
                return new Result(null, describe(interceptor));
            }
            current = out.value();
        }
        return new Result(current, null);
    }

    /** The outcome of {@link #intercept}: the text, or null and who stopped it. */
    record Result(String text, String stoppedBy) {
    }

    /**
     * Runs a command line ({@link #isCommand} true).
     *
     * @throws IllegalArgumentException when no command has that name
     */
    CommandRun run(String peer, String line) {
        String body = line.substring(1);
        int space = indexOfWhitespace(body);
        String name = space < 0 ? body : body.substring(0, space);
        String args = space < 0 ? "" : body.substring(space).trim();
        ChatCommand command = find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown command /" + name + " (chat:commands lists them; // sends a text starting with /)"));
        String label = "/" + command.name();
        TimedCalls.Answer<String> out = calls.call(command, "chat command " + label + " (" + describe(command) + ")",
                () -> command.execute(peer, args));
        if (out.problem() != null) {
            return new CommandRun(label, null, "command " + label + " " + out.problem());
        }
        return new CommandRun(label, out.value(), null);
    }

    /** The command of that name (any case) with the highest ranking. */
    Optional<ChatCommand> find(String name) {
        for (Map.Entry<Map<String, Object>, ChatCommand> entry : sorted(commands.get())) {
            String own = safeName(entry.getValue());
            if (own != null && own.equalsIgnoreCase(name)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** All commands by name, the one that runs for each name only; sorted by name. */
    List<ChatCommand> commands() {
        Map<String, ChatCommand> byName = new java.util.TreeMap<>();
        for (Map.Entry<Map<String, Object>, ChatCommand> entry : sorted(commands.get())) {
            String own = safeName(entry.getValue());
            if (own != null) {
                byName.putIfAbsent(own.toLowerCase(Locale.ROOT), entry.getValue());
            }
        }
        return List.copyOf(byName.values());
    }

    @Override
    public void close() {
        calls.close();
    }

    private String safeName(ChatCommand command) {
        try {
            String name = command.name();
            return name == null || name.isBlank() ? null : name.trim();
        } catch (RuntimeException e) {
            problems.warn("chat command " + describe(command) + " has no usable name", e);
            return null;
        }
    }

    private static boolean wants(Map<String, Object> properties, Direction direction) {
        Object value = properties == null ? null : properties.get(MessageInterceptor.DIRECTION);
        return value == null || direction.name().equalsIgnoreCase(String.valueOf(value).trim());
    }

    /** Highest ranking first, then lowest service id (registration order). */
    static <S> List<Map.Entry<Map<String, Object>, S>> sorted(List<Map.Entry<Map<String, Object>, S>> services) {
        if (services == null || services.isEmpty()) {
            return List.of();
        }
        List<Map.Entry<Map<String, Object>, S>> copy = new ArrayList<>(services);
        copy.sort(Comparator.<Map.Entry<Map<String, Object>, S>>comparingInt(e -> -number(e.getKey(), RANKING))
                .thenComparingLong(e -> numberLong(e.getKey(), SERVICE_ID)));
        return copy;
    }

    private static int number(Map<String, Object> properties, String key) {
        Object value = properties == null ? null : properties.get(key);
        return value instanceof Integer i ? i : 0;
    }

    private static long numberLong(Map<String, Object> properties, String key) {
        Object value = properties == null ? null : properties.get(key);
        return value instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(Object plugin) {
        return TimedCalls.describe(plugin);
    }
}
