package peerchat.api.transport;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;

/**
 * Sends text messages to peers over UDP, acknowledged and retransmitted. Incoming messages go to
 * every registered {@link MessageListener} service (whiteboard).
 */
@ProviderType
public interface MessageTransport {

    /** The local UDP endpoint peers send to. */
    PeerAddress localAddress();

    /**
     * Sends one message. The returned stage completes exactly once, with DELIVERED when the peer
     * acknowledged it or FAILED with a reason (timed out, too large, transport stopped).
     */
    CompletionStage<DeliveryResult> send(PeerAddress to, String text);

    /**
     * A snapshot of the counters, per peer and in total. Transports that keep none return
     * {@link TransportStats#EMPTY}.
     *
     * @since 1.1
     */
    default TransportStats stats() {
        return TransportStats.EMPTY;
    }
}
