package peerchat.api.chat;

import org.osgi.annotation.versioning.ConsumerType;

import peerchat.api.dto.ChatMessage;

/**
 * Register as a service to see conversation entries: called for each new message and again when
 * an outgoing message's delivery status changes (same id).
 */
@ConsumerType
public interface ChatListener {
    void messageChanged(ChatMessage message);
}
