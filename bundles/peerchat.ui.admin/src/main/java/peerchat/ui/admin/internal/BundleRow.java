package peerchat.ui.admin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** One line of the Plugins view: a bundle, its state, and the views and commands it contributes. */
record BundleRow(long id, String symbolicName, String version, String state, boolean fragment, List<String> views,
        List<String> commands) {

    static final String VIEW_ID = "peerchat.view.id";

    static BundleRow of(Bundle bundle) {
        List<String> views = new ArrayList<>();
        TreeSet<String> commands = new TreeSet<>();
        ServiceReference<?>[] registered = bundle.getState() == Bundle.ACTIVE ? bundle.getRegisteredServices() : null;
        if (registered != null) {
            for (ServiceReference<?> reference : registered) {
                Object view = reference.getProperty(VIEW_ID);
                if (view != null) {
                    views.add(view.toString());
                }
                Object scope = reference.getProperty("osgi.command.scope");
                Object functions = reference.getProperty("osgi.command.function");
                if (scope != null && functions != null) {
                    for (String function : strings(functions)) {
                        commands.add(scope + ":" + function);
                    }
                }
            }
        }
        views.sort(null);
        return new BundleRow(bundle.getBundleId(), String.valueOf(bundle.getSymbolicName()),
                bundle.getVersion().toString(), state(bundle.getState()),
                bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null, List.copyOf(views), List.copyOf(commands));
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> Texts.get("plugins.state.active");
            case Bundle.RESOLVED -> Texts.get("plugins.state.resolved");
            case Bundle.INSTALLED -> Texts.get("plugins.state.installed");
            case Bundle.STARTING -> Texts.get("plugins.state.starting");
            case Bundle.STOPPING -> Texts.get("plugins.state.stopping");
            case Bundle.UNINSTALLED -> Texts.get("plugins.state.uninstalled");
            default -> Texts.get("plugins.state.other", state);
        };
    }

    private static List<String> strings(Object value) {
        if (value instanceof String[] array) {
            return List.of(array);
        }
        if (value instanceof java.util.Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(value));
    }

    /** "views: a, b · commands: chat:send, …" */
    String contributions() {
        StringBuilder text = new StringBuilder();
        if (!views.isEmpty()) {
            text.append(Texts.get("plugins.views", String.join(", ", views)));
        }
        if (!commands.isEmpty()) {
            if (!text.isEmpty()) {
                text.append(" · ");
            }
            text.append(Texts.get("plugins.commands", String.join(", ", commands)));
        }
        return text.toString();
    }

    /** SWT itself cannot be updated or uninstalled while it runs: its natives are loaded once. */
    boolean isSwt() {
        return symbolicName.equals("org.eclipse.swt") || symbolicName.startsWith("org.eclipse.swt.");
    }
}
