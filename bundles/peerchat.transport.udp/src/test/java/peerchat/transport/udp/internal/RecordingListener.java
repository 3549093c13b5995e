package peerchat.transport.udp.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import peerchat.api.dto.IncomingMessage;
import peerchat.api.transport.MessageListener;

/** Keeps every message it gets, in order. */
final class RecordingListener implements MessageListener {
    final List<IncomingMessage> messages = new CopyOnWriteArrayList<>();

    @Override
    public void messageReceived(IncomingMessage message) {
        messages.add(message);
    }

    List<String> texts() {
        return messages.stream().map(IncomingMessage::text).collect(Collectors.toList());
    }
}
