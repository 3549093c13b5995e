package peerchat.roster.server.internal;

import java.time.Duration;

/** How durations read in messages: "5 s", or "300 ms" below whole seconds. */
final class Durations {

    private Durations() {
    }

    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
