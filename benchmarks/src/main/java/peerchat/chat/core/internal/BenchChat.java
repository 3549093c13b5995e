package peerchat.chat.core.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.ConnectionState;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;
import peerchat.api.store.MessageStore;
import peerchat.api.transport.MessageKeeper;
import peerchat.api.transport.MessageTransport;

/** The real chat engine for benchmarks outside this package: a fixed roster, a store, a transport. */
public final class BenchChat implements MessageKeeper, ChatService, AutoCloseable {

    private final ChatEngine engine;

    private BenchChat(ChatEngine engine) {
        this.engine = engine;
    }

    /** @param roster everyone online, yourself included */
    public static BenchChat start(String me, List<RosterEntry> roster, MessageStore store, MessageTransport transport) {
        RosterClient client = new FixedRoster(me, roster);
        ChatListeners listeners = new ChatListeners(List::of, (message, cause) -> System.err.println(
                "chat: " + message + (cause != null ? " " + cause : "")), Duration.ofSeconds(1));
        return new BenchChat(new ChatEngine(() -> client, () -> transport, store, listeners, (peer, text) -> text,
                Clock.systemUTC(), Duration.ofDays(7)));
    }

    private static final MessageIds IDS = new MessageIds(System::currentTimeMillis);

    /** A message id as the chat engine makes them (they sort by time). */
    public static String nextId() {
        return IDS.next();
    }

    public static RosterEntry online(String name, PeerAddress address) {
        return new RosterEntry(name, address, Presence.ONLINE, "", false);
    }

    @Override
    public CompletionStage<?> keep(IncomingMessage message) {
        return engine.keep(message);
    }

    @Override
    public CompletionStage<DeliveryResult> send(String to, String text) {
        return engine.send(to, text);
    }

    @Override
    public List<ChatMessage> history(String peer, int limit) {
        return engine.history(peer, Long.MAX_VALUE, limit);
    }

    @Override
    public List<ChatMessage> history(String peer, long beforeId, int limit) {
        return engine.history(peer, beforeId, limit);
    }

    @Override
    public List<ChatMessage> search(String text, String peer, int limit) {
        return engine.search(text, peer, limit);
    }

    @Override
    public List<Contact> contacts() {
        return engine.contacts();
    }

    @Override
    public Optional<String> storeFault() {
        return engine.storeFault();
    }

    @Override
    public void close() {
        engine.close();
    }

    private record FixedRoster(String me, List<RosterEntry> entries) implements RosterClient {
        @Override
        public CompletionStage<List<RosterEntry>> login(String name, PeerAddress server) {
            return CompletableFuture.completedFuture(entries);
        }

        @Override
        public CompletionStage<Void> logout() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public List<RosterEntry> roster() {
            return entries;
        }

        @Override
        public Optional<RosterEntry> find(String name) {
            return entries.stream().filter(e -> e.name().equalsIgnoreCase(name)).findFirst();
        }

        @Override
        public Optional<RosterEntry> findByAddress(PeerAddress address) {
            return entries.stream().filter(e -> e.address().equals(address)).findFirst();
        }

        @Override
        public Optional<String> userName() {
            return Optional.of(me);
        }

        @Override
        public PeerAddress serverAddress() {
            return new PeerAddress("127.0.0.1", 0);
        }

        @Override
        public ConnectionState state() {
            return ConnectionState.ONLINE;
        }
    }
}
