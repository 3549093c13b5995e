package peerchat.api.dto;

/** Outcome of one message to one recipient. */
public enum DeliveryStatus {
    /** Not yet known: the message is on its way. */
    SENDING,
    /**
     * Kept by the sender until the recipient can take it (offline, or did not acknowledge in time);
     * it goes out when the recipient is seen online again. Since 1.3.
     */
    QUEUED,
    /** The recipient acknowledged it. */
    DELIVERED,
    /** Handed to the network without acknowledgement (peers that cannot acknowledge). */
    SENT,
    /** The message did not reach the recipient; see the reason. */
    FAILED
}
