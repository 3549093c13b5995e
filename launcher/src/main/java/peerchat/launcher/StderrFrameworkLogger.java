package peerchat.launcher;

import java.io.PrintStream;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * Felix's own error messages as one line each on stderr. Felix's default logger prints to stdout
 * (which belongs to the Gogo shell) and dumps stack traces; the stack traces still reach the log file
 * through the Log Service's framework events.
 */
final class StderrFrameworkLogger extends Logger {

    private final PrintStream err;

    StderrFrameworkLogger(PrintStream err) {
        this.err = err;
        setLogLevel(LOG_ERROR);
    }

    @Override
    protected void doLog(Bundle bundle, @SuppressWarnings("rawtypes") ServiceReference service, int level, String message,
            Throwable problem) {
        if (level > LOG_ERROR || message != null && message.startsWith("Error starting")) {
            // warnings stay quiet; start failures are reported once, by StartupReporter
            return;
        }
        StringBuilder line = new StringBuilder("peerchat: felix: ");
        if (bundle != null && bundle.getBundleId() != 0) {
            line.append(bundle.getSymbolicName()).append(": ");
        }
        line.append(message == null ? "" : Messages.oneLine(message));
        if (problem != null) {
            line.append(": ").append(Messages.describe(problem));
        }
        err.println(line);
    }
}
