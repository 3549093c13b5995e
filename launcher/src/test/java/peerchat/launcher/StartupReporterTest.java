package peerchat.launcher;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.osgi.framework.BundleException;

public class StartupReporterTest {

    @Test
    public void resolutionFailuresKeepOnlyTheMissingRequirement() {
        BundleException unresolved = new BundleException("Unable to resolve peerchat.shell [17](R 17.0): missing requirement "
                + "[peerchat.shell [17](R 17.0)] osgi.wiring.package; (osgi.wiring.package=peerchat.api.chat) "
                + "Unresolved requirements: [[peerchat.shell [17](R 17.0)] osgi.wiring.package; (osgi.wiring.package=peerchat.api.chat)]");
        assertEquals("peerchat: the framework did not resolve: missing requirement [peerchat.shell [17](R 17.0)] "
                + "osgi.wiring.package; (osgi.wiring.package=peerchat.api.chat)", StartupReporter.describe(null, unresolved));
    }

    @Test
    public void startFailuresNameTheCausesOnOneLine() {
        BundleException failed = new BundleException("Activator start error in bundle x [4].",
                new IllegalStateException("port 5555\nalready bound"));
        assertEquals("peerchat: the framework failed to start: Activator start error in bundle x [4].: port 5555 already bound",
                StartupReporter.describe(null, failed));
    }

    @Test
    public void anErrorWithoutExceptionIsStillReported() {
        assertEquals("peerchat: the framework reported an error", StartupReporter.describe(null, null));
    }
}
