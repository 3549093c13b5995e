package peerchat.shell.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import peerchat.api.chat.ChatCommand;
import peerchat.api.chat.MessageInterceptor;

/**
 * {@code chat:commands} lists the {@code /commands} plugins offer in conversations (one per name:
 * the one that runs), {@code chat:interceptors} the message interceptors in the order they run.
 */
@Component(service = PluginCommands.class, property = {
        "osgi.command.scope=chat",
        "osgi.command.function=commands",
        "osgi.command.function=interceptors" })
public class PluginCommands {

    static final String NO_COMMANDS = "no chat commands installed";
    static final String NO_INTERCEPTORS = "no message interceptors installed";

    @Reference(service = ChatCommand.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, ChatCommand>> commands;

    @Reference(service = MessageInterceptor.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, MessageInterceptor>> interceptors;

    @Descriptor("list the /commands you can type in a conversation, with their help")
    public String commands() {
        Map<String, String> byName = new TreeMap<>();
        for (Map.Entry<Map<String, Object>, ChatCommand> entry : sorted(commands)) {
            String name;
            String help;
            try {
                name = entry.getValue().name();
                help = entry.getValue().help();
            } catch (RuntimeException e) {
                byName.putIfAbsent("~" + bundleOf(entry.getKey()), "(" + bundleOf(entry.getKey())
                        + ": broken command: " + e + ")");
                continue;
            }
            if (name == null || name.isBlank()) {
                continue;
            }
            String key = name.trim().toLowerCase(Locale.ROOT);
            String text = help == null ? "" : help.replace("\r", " ").replace("\n", " ").trim();
            // help usually starts with the usage ("/me ACTION - ..."); otherwise the name goes first
            String line = text.toLowerCase(Locale.ROOT).startsWith("/" + key) ? text
                    : "/" + name.trim() + (text.isEmpty() ? "" : " - " + text);
            byName.putIfAbsent(key, line + " [" + bundleOf(entry.getKey()) + "]");
        }
        if (byName.isEmpty()) {
            return NO_COMMANDS;
        }
        StringJoiner out = new StringJoiner("\n");
        byName.values().forEach(out::add);
        return out.toString();
    }

    @Descriptor("list the message interceptors in the order they run (highest ranking first)")
    public String interceptors() {
        List<Map.Entry<Map<String, Object>, MessageInterceptor>> list = sorted(interceptors);
        if (list.isEmpty()) {
            return NO_INTERCEPTORS;
        }
        StringJoiner out = new StringJoiner("\n");
        for (Map.Entry<Map<String, Object>, MessageInterceptor> entry : list) {
            Object direction = entry.getKey().get(MessageInterceptor.DIRECTION);
            out.add(ranking(entry.getKey()) + " " + (direction == null ? "both" : direction) + " "
                    + entry.getValue().getClass().getName() + " [" + bundleOf(entry.getKey()) + "]");
        }
        return out.toString();
    }

    /** Highest ranking first, then lowest service id: the order the chat core uses. */
    static <S> List<Map.Entry<Map<String, Object>, S>> sorted(List<Map.Entry<Map<String, Object>, S>> services) {
        List<Map.Entry<Map<String, Object>, S>> copy = new ArrayList<>(services == null ? List.of() : services);
        copy.sort(Comparator.<Map.Entry<Map<String, Object>, S>>comparingInt(e -> -ranking(e.getKey()))
                .thenComparingLong(e -> e.getKey().get("service.id") instanceof Number n ? n.longValue()
                        : Long.MAX_VALUE));
        return copy;
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get("service.ranking") instanceof Integer i ? i : 0;
    }

    private static String bundleOf(Map<String, Object> properties) {
        Object id = properties.get("service.bundleid");
        return id == null ? "bundle ?" : "bundle " + id;
    }
}
