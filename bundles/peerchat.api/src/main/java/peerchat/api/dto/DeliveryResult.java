package peerchat.api.dto;

/** The final outcome of a send; {@code reason} explains a failure and is empty otherwise. */
public record DeliveryResult(DeliveryStatus status, String reason) {
}
