package peerchat.chat.core.internal;

import java.util.ArrayList;
import java.util.List;

import peerchat.api.chat.ChatListener;
import peerchat.api.dto.ChatMessage;

final class RecordingListener implements ChatListener {

    final List<ChatMessage> seen = new ArrayList<>();

    @Override
    public void messageChanged(ChatMessage message) {
        seen.add(message);
    }
}
