package peerchat.launcher;

import java.io.PrintStream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;

/**
 * One line on stderr per bundle that fails to resolve or start, then the launcher carries on. (The
 * Log Service records the same framework events, with stack traces, in the log file.)
 */
final class StartupReporter implements FrameworkListener {

    private static final String UNRESOLVED = "Unable to resolve ";

    private final PrintStream err;

    StartupReporter(PrintStream err) {
        this.err = err;
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.ERROR) {
            err.println(describe(event.getBundle(), event.getThrowable()));
        }
    }

    /** E.g. {@code peerchat: bundle peerchat.shell did not resolve: missing requirement ... osgi.wiring.package=peerchat.api.chat ...}. */
    static String describe(Bundle bundle, Throwable problem) {
        String who = bundle == null || bundle.getBundleId() == 0 ? "the framework" : "bundle " + bundle.getSymbolicName();
        if (problem == null) {
            return "peerchat: " + who + " reported an error";
        }
        String message = Messages.describe(problem);
        if (problem instanceof BundleException && message.startsWith(UNRESOLVED)) {
            return "peerchat: " + who + " did not resolve: " + resolutionReason(message);
        }
        StringBuilder line = new StringBuilder("peerchat: ").append(who).append(" failed to start: ").append(message);
        Throwable cause = problem.getCause();
        for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
            line.append(": ").append(Messages.describe(cause));
        }
        return line.toString();
    }

    /** Felix says "Unable to resolve X [id](R id.0): missing requirement ... Unresolved requirements: ..."; keep the middle. */
    private static String resolutionReason(String message) {
        int colon = message.indexOf(": ");
        String reason = colon < 0 ? message : message.substring(colon + 2);
        int repeat = reason.indexOf(" Unresolved requirements:");
        return repeat < 0 ? reason : reason.substring(0, repeat);
    }
}
