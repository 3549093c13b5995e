package peerchat.chat.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import peerchat.api.chat.ChatListener;
import peerchat.api.dto.ChatMessage;

final class RecordingListener implements ChatListener {

    final List<ChatMessage> seen = new CopyOnWriteArrayList<>();

    @Override
    public void messageChanged(ChatMessage message) {
        seen.add(message);
    }
}
