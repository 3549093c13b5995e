package peerchat.api.dto;

/** Outcome of one message to one recipient. */
public enum DeliveryStatus {
    /** Not yet known: the message is on its way. */
    SENDING,
    /** The recipient acknowledged it. */
    DELIVERED,
    /** Handed to the network without acknowledgement (peers that cannot acknowledge). */
    SENT,
    /** The message did not reach the recipient; see the reason. */
    FAILED
}
