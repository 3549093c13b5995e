package peerchat.shell.internal;

import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import peerchat.api.chat.ChatService;

/**
 * Tells the person at the console, once, when messages cannot be stored (disk full, read-only store):
 * {@code error: cannot store messages: REASON}, and once more when they can again. Incoming messages
 * are not acknowledged meanwhile, so this is a failure the user must act on, not only a log line.
 */
@Component(immediate = true)
public class StoreFaultNotice {

    static final long CHECK_MILLIS = 1_000;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ChatService chat;

    /** The console; package-private for tests. */
    PrintStream console = System.out;
    private String shown;
    private ScheduledExecutorService timer;

    @Activate
    void activate() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "peerchat-shell-store-fault");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    /** Prints a change of the fault, and nothing while it stays the same. */
    synchronized void check() {
        ChatService current = chat;
        Optional<String> fault = current == null ? Optional.empty() : current.storeFault();
        if (fault.isPresent() && !fault.get().equals(shown)) {
            console.println(Lines.error("cannot store messages: " + fault.get()));
            shown = fault.get();
        } else if (fault.isEmpty() && shown != null && current != null) {
            console.println("messages can be stored again");
            shown = null;
        }
    }
}
