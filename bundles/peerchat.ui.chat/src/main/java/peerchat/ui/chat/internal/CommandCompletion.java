package peerchat.ui.chat.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import peerchat.api.chat.ChatCommand;

/**
 * Completion of plugin {@code /commands} in a conversation's input: while the input is {@code /}
 * and the start of a name, its tooltip lists the matching commands with their help, and Tab (or
 * Ctrl+Space) completes the name. Tracks the {@link ChatCommand} services (whiteboard), so commands
 * of plugins dropped in later are offered at once.
 */
@Component(service = CommandCompletion.class)
public class CommandCompletion {

    static final int MAX_HINTS = 8;

    @Reference(service = ChatCommand.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    volatile List<Map.Entry<Map<String, Object>, ChatCommand>> commands;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL)
    volatile Logger logger;

    /** Name (lower case) to help line, the highest-ranking command of each name; sorted by name. */
    Map<String, String> byName() {
        List<Map.Entry<Map<String, Object>, ChatCommand>> list = new ArrayList<>(commands == null ? List.of() : commands);
        list.sort(Comparator.<Map.Entry<Map<String, Object>, ChatCommand>>comparingInt(
                e -> e.getKey().get("service.ranking") instanceof Integer i ? -i : 0));
        Map<String, String> result = new TreeMap<>();
        for (Map.Entry<Map<String, Object>, ChatCommand> entry : list) {
            try {
                String name = entry.getValue().name();
                if (name != null && !name.isBlank()) {
                    String help = entry.getValue().help();
                    result.putIfAbsent(name.trim().toLowerCase(Locale.ROOT), help == null ? "/" + name.trim() : help);
                }
            } catch (RuntimeException e) {
                // a broken plugin offers nothing; the chat core reports it as a problem when it is used
                Logger log = logger;
                if (log != null) {
                    log.debug("chat command {} offers no completion: {}", entry.getValue().getClass().getName(), e.toString());
                }
            }
        }
        return result;
    }

    /** The name typed so far when {@code input} is {@code /} plus the start of a command name. */
    static Optional<String> typedName(String input) {
        if (input == null || !input.startsWith("/") || input.startsWith("//")) {
            return Optional.empty();
        }
        String name = input.substring(1);
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(name.toLowerCase(Locale.ROOT));
    }

    /** Help lines of the commands matching what is typed; empty when it is no command prefix. */
    static List<String> hints(String input, Map<String, String> commands) {
        Optional<String> typed = typedName(input);
        if (typed.isEmpty()) {
            return List.of();
        }
        List<String> hints = new ArrayList<>();
        commands.forEach((name, help) -> {
            if (name.startsWith(typed.get()) && hints.size() < MAX_HINTS) {
                hints.add(help);
            }
        });
        return hints;
    }

    /**
     * The completed input: {@code /name } for a single match, else {@code /} plus the longest common
     * prefix of the matches; empty when there is nothing to add.
     */
    static Optional<String> complete(String input, Map<String, String> commands) {
        Optional<String> typed = typedName(input);
        if (typed.isEmpty()) {
            return Optional.empty();
        }
        List<String> matches = commands.keySet().stream().filter(name -> name.startsWith(typed.get())).toList();
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        if (matches.size() == 1) {
            return Optional.of("/" + matches.get(0) + " ");
        }
        String common = matches.get(0);
        for (String name : matches) {
            int i = 0;
            while (i < common.length() && i < name.length() && common.charAt(i) == name.charAt(i)) {
                i++;
            }
            common = common.substring(0, i);
        }
        return common.length() > typed.get().length() ? Optional.of("/" + common) : Optional.empty();
    }

    /** On the UI thread: offers completion in a conversation input; {@code completion} may come and go. */
    static void attach(Text input, Supplier<CommandCompletion> completion) {
        input.addListener(SWT.Modify, event -> {
            CommandCompletion current = completion.get();
            List<String> hints = current == null ? List.of() : hints(input.getText(), current.byName());
            input.setToolTipText(hints.isEmpty() ? null : String.join("\n", hints));
        });
        input.addListener(SWT.Traverse, event -> {
            if (event.detail == SWT.TRAVERSE_TAB_NEXT && completeIn(input, completion.get())) {
                // completed instead of moving the focus; TRAVERSE_NONE + doit consumes the key (no tab character)
                event.detail = SWT.TRAVERSE_NONE;
                event.doit = true;
            }
        });
        input.addListener(SWT.KeyDown, event -> {
            if (event.character == ' ' && (event.stateMask & SWT.MOD1) != 0) {
                event.doit = false;
                completeIn(input, completion.get());
            }
        });
    }

    private static boolean completeIn(Text input, CommandCompletion current) {
        if (current == null) {
            return false;
        }
        Optional<String> completed = complete(input.getText(), current.byName());
        completed.ifPresent(text -> {
            input.setText(text);
            input.setSelection(text.length());
        });
        return completed.isPresent();
    }
}
