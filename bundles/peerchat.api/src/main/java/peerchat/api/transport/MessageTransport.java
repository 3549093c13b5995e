package peerchat.api.transport;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;

/**
 * Sends text messages to peers over UDP, acknowledged and retransmitted, or as plain datagrams to
 * clients of the original application. Incoming messages go to every registered
 * {@link MessageListener} service (whiteboard).
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
     * Sends one message carrying the sender's stable id, so that the receiver can drop a copy it has
     * already kept (a message resent after its first attempt's outcome was lost). The id is at most
     * {@link #MAX_MESSAGE_ID_BYTES} bytes of printable ASCII. DELIVERED means the peer's
     * {@link MessageKeeper} kept it. Transports that cannot carry an id send the text alone.
     *
     * @since 1.3
     */
    default CompletionStage<DeliveryResult> send(PeerAddress to, String messageId, String text) {
        return send(to, text);
    }

    /** Longest message id {@link #send(PeerAddress, String, String)} carries. @since 1.3 */
    int MAX_MESSAGE_ID_BYTES = 64;

    /**
     * A snapshot of the counters, per peer and in total. Transports that keep none return
     * {@link TransportStats#EMPTY}.
     *
     * @since 1.1
     */
    default TransportStats stats() {
        return TransportStats.EMPTY;
    }

    /**
     * Sends {@code text} as one plain UDP datagram: its UTF-8 bytes and nothing else, no header, no
     * acknowledgement, no retransmission. This is how clients of the original application talk
     * (they put {@code NAME: } in front of the text themselves, so the caller does too). The stage
     * completes with SENT once the datagram is handed to the network, or FAILED with a reason: text
     * too large for one datagram (more than {@link #MAX_PLAIN_BYTES} bytes), bad address, transport
     * stopped, or the operating system refused the send. SENT says nothing about arrival.
     * <p>
     * Transports that cannot send plain datagrams complete FAILED.
     *
     * @since 1.2
     */
    default CompletionStage<DeliveryResult> sendPlain(PeerAddress to, String text) {
        return CompletableFuture.completedFuture(new DeliveryResult(
                DeliveryStatus.FAILED, "this transport cannot send plain datagrams"));
    }

    /**
     * Largest plain datagram in UTF-8 bytes: the most an IPv4 UDP datagram carries (65,535 − 8 − 20),
     * which the original application's 65,536-byte receive buffer takes whole.
     *
     * @since 1.2
     */
    int MAX_PLAIN_BYTES = 65_507;
}
