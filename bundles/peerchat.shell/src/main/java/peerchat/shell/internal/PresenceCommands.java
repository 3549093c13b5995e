package peerchat.shell.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;

/**
 * {@code chat:status}: shows or sets your presence ({@code online}, {@code away}, {@code busy})
 * and status text. Like the other {@code chat:*} commands it returns its output, and a failure is
 * one line starting with {@code error: }.
 */
@Component(service = PresenceCommands.class, property = {
        "osgi.command.scope=chat",
        "osgi.command.function=status" })
public class PresenceCommands {

    static final int MAX_STATUS = 140;
    static final String ROSTER_MISSING = "roster client bundle is not running";
    static final String NOT_LOGGED_IN = "not logged in";
    static final String USAGE = "usage: chat:status [online|away|busy [TEXT...]]";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RosterClient roster;

    /** Package-private so tests can shorten the wait. */
    Duration timeout = Duration.ofSeconds(10);

    @Descriptor("show your presence and status text")
    public String status() {
        RosterClient client = roster;
        if (client == null) {
            return Lines.error(ROSTER_MISSING);
        }
        Optional<String> name = client.userName();
        if (name.isEmpty()) {
            return Lines.error(NOT_LOGGED_IN);
        }
        Optional<RosterEntry> me = client.find(name.get());
        if (me.isEmpty()) {
            return Lines.error("your entry is not in the roster yet");
        }
        String line = name.get() + " " + lower(me.get().presence().name())
                + (me.get().status().isEmpty() ? "" : " " + me.get().status());
        return client.state() == ConnectionState.RECONNECTING ? line + " (stale: reconnecting)" : line;
    }

    @Descriptor("set your presence and status text; every client sees it at once")
    public String status(@Descriptor("online, away or busy") String state,
            @Descriptor("status text, at most 140 characters; none to clear it") String... words) {
        RosterClient client = roster;
        if (client == null) {
            return Lines.error(ROSTER_MISSING);
        }
        Presence presence = presence(state);
        if (presence == null) {
            return Lines.error("unknown presence '" + state + "': expected online, away or busy (" + USAGE + ")");
        }
        String text = words == null ? "" : String.join(" ", words).strip();
        int length = text.codePointCount(0, text.length());
        if (length > MAX_STATUS) {
            return Lines.error("status text too long: " + length + " characters, at most " + MAX_STATUS);
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            return Lines.error("status text must be one line without control characters");
        }
        if (client.userName().isEmpty()) {
            return Lines.error(NOT_LOGGED_IN);
        }
        try {
            client.setPresence(presence, text).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return Lines.error(reason(e));
        } catch (TimeoutException e) {
            return Lines.error("the roster server did not confirm within " + ChatCommands.describe(timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lines.error("interrupted");
        }
        return "status " + lower(presence.name()) + (text.isEmpty() ? "" : " " + text);
    }

    private static Presence presence(String state) {
        if (state == null) {
            return null;
        }
        for (Presence presence : Presence.values()) {
            if (presence.name().equalsIgnoreCase(state.trim())) {
                return presence;
            }
        }
        return null;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
