package peerchat.transport.udp.internal;

import java.util.ArrayList;
import java.util.List;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;

/**
 * Send results collected while a session lock is held and completed after it is released, so
 * callbacks on the futures never run under a lock.
 */
final class Completions {

    static final DeliveryResult DELIVERED = new DeliveryResult(DeliveryStatus.DELIVERED, "");

    private final List<PendingSend> sends = new ArrayList<>();
    private final List<DeliveryResult> results = new ArrayList<>();

    void add(PendingSend send, DeliveryResult result) {
        sends.add(send);
        results.add(result);
    }

    boolean isEmpty() {
        return sends.isEmpty();
    }

    /** Completes everything collected so far (each future at most once) and forgets it. */
    void run() {
        for (int i = 0; i < sends.size(); i++) {
            sends.get(i).result.complete(results.get(i));
        }
        sends.clear();
        results.clear();
    }

    static DeliveryResult failure(String reason) {
        return new DeliveryResult(DeliveryStatus.FAILED, reason);
    }
}
