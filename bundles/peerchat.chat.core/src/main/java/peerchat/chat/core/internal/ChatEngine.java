package peerchat.chat.core.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import peerchat.api.chat.UnknownUserException;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;
import peerchat.api.transport.MessageTransport;

/**
 * The chat logic without OSGi: resolves names through the roster, sends over the transport, keeps
 * each conversation in memory and in the history store, and tells the listeners. Roster and
 * transport are looked up on every use because they may come and go.
 * <p>
 * Clients of the original application ({@link RosterEntry#legacy()}) get plain {@code MYNAME: text}
 * datagrams (outcome SENT at best: they cannot acknowledge), and only their address may send us
 * plain datagrams (LEGACY-PROTOCOL.md, docs/PROTOCOL-UDP.md "Plain datagrams").
 */
final class ChatEngine {

    static final String TRANSPORT_MISSING = "transport not available";
    static final String ROSTER_MISSING = "not logged in (roster client not available)";
    static final String NOT_LOGGED_IN = "not logged in";
    /** A message still SENDING in the file was cut off by a shutdown: its outcome is lost. */
    static final String CUT_OFF = "outcome unknown: stopped before the peer answered";
    static final long PLAIN_WARN_INTERVAL_MILLIS = 60_000;

    private final Supplier<RosterClient> roster;
    private final Supplier<MessageTransport> transport;
    private final ChatListeners listeners;
    private final HistoryStore store;
    private final Clock clock;
    private final Conversations conversations;
    private final ProblemLog problems;
    /** Plain datagrams not taken as messages (not from a legacy peer, or empty). */
    private final AtomicLong plainIgnored = new AtomicLong();
    private final Object plainWarnLock = new Object();
    private long lastPlainWarnMillis = Long.MIN_VALUE;
    private long plainHeldBack;
    /** Makes id order, memory order and file order the same. */
    private final Object recordLock = new Object();
    private long lastId;

    ChatEngine(Supplier<RosterClient> roster, Supplier<MessageTransport> transport, ChatListeners listeners,
            HistoryStore store, Clock clock, int limitPerPeer) {
        this.roster = roster;
        this.transport = transport;
        this.listeners = listeners;
        this.store = store;
        this.clock = clock;
        this.conversations = new Conversations(limitPerPeer);
        this.problems = listeners.problems();
        reload();
    }

    private void reload() {
        for (ChatMessage message : store.load()) {
            lastId = Math.max(lastId, message.id());
            conversations.add(message.status() == DeliveryStatus.SENDING
                    ? withResult(message, new DeliveryResult(DeliveryStatus.FAILED, CUT_OFF))
                    : message);
        }
        store.compactTo(conversations.all());
    }

    /**
     * @throws IllegalArgumentException for an empty name or text
     * @throws IllegalStateException when not logged in
     * @throws UnknownUserException when nobody of that name is online
     */
    CompletionStage<DeliveryResult> send(String to, String text) {
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("recipient name is empty");
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("message text is empty");
        }
        RosterClient roster = this.roster.get();
        if (roster == null) {
            throw new IllegalStateException(ROSTER_MISSING);
        }
        String me = roster.userName().orElseThrow(() -> new IllegalStateException(NOT_LOGGED_IN));
        RosterEntry recipient = roster.find(to.trim()).orElseThrow(() -> new UnknownUserException(to.trim()));
        ChatMessage sending = record(id -> new ChatMessage(id, clock.instant(), me, recipient.name(), text, true,
                DeliveryStatus.SENDING, ""));

        MessageTransport transport = this.transport.get();
        if (transport == null) {
            return CompletableFuture.completedFuture(finish(sending, failed(TRANSPORT_MISSING)));
        }
        CompletionStage<DeliveryResult> delivery;
        try {
            // A client of the original application gets its own format and cannot acknowledge: SENT at best.
            delivery = recipient.legacy() ? transport.sendPlain(recipient.address(), LegacyText.line(me, text))
                    : transport.send(recipient.address(), text);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(finish(sending, failed(reasonOf(e))));
        }
        // the caller's stage completes only after history and listeners have the outcome
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        delivery.whenComplete((outcome, failure) -> {
            try {
                result.complete(finish(sending, failure == null ? checked(outcome) : failed(reasonOf(failure))));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Records an incoming message under the sender's roster name (its address when not in the
     * roster). A {@link IncomingMessage#plain() plain} datagram is a message only when it comes from
     * a legacy peer's address: its leading {@code NAME:} is taken off and it is trimmed like the
     * original does; any other plain datagram is ignored, counted and logged (rate-limited), since
     * anyone can send one.
     */
    void messageReceived(IncomingMessage incoming) {
        Objects.requireNonNull(incoming.from(), "incoming message without sender address");
        RosterClient roster = this.roster.get();
        Optional<RosterEntry> sender = Optional.ofNullable(roster)
                .flatMap(client -> client.findByAddress(incoming.from()));
        String raw = incoming.text() == null ? "" : incoming.text();
        String text;
        if (incoming.plain()) {
            if (sender.isEmpty() || !sender.get().legacy()) {
                ignorePlain(incoming, sender.map(entry -> entry.name() + " is not a client of the original application")
                        .orElse("no legacy peer in the roster has that address"));
                return;
            }
            text = LegacyText.text(raw, sender.get().name());
            if (text.isEmpty()) {
                ignorePlain(incoming, "no text");
                return;
            }
        } else {
            text = raw;
        }
        String from = sender.map(RosterEntry::name).orElse(incoming.from().toString());
        String to = ownName(roster);
        Instant time = incoming.receivedAt() != null ? incoming.receivedAt() : clock.instant();
        record(id -> new ChatMessage(id, time, from, to, text, false, DeliveryStatus.DELIVERED, ""));
    }

    /** Plain datagrams ignored so far. */
    long plainIgnored() {
        return plainIgnored.get();
    }

    /** Counts every one; warns about the first and then at most once a minute, saying how many were held back. */
    private void ignorePlain(IncomingMessage incoming, String why) {
        plainIgnored.incrementAndGet();
        long now = clock.millis();
        long heldBack;
        synchronized (plainWarnLock) {
            if (lastPlainWarnMillis != Long.MIN_VALUE && now - lastPlainWarnMillis < PLAIN_WARN_INTERVAL_MILLIS) {
                plainHeldBack++;
                return;
            }
            lastPlainWarnMillis = now;
            heldBack = plainHeldBack;
            plainHeldBack = 0;
        }
        problems.warn("ignored a plain datagram from " + incoming.from() + ": " + why
                + (heldBack > 0 ? " (" + heldBack + " more ignored since the last warning)" : ""), null);
    }

    /** @throws IllegalArgumentException for an empty name or a negative limit */
    List<ChatMessage> history(String peer, int limit) {
        if (peer == null || peer.isBlank()) {
            throw new IllegalArgumentException("peer name is empty");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return conversations.last(peer.trim(), limit);
    }

    void close() {
        store.close();
    }

    private ChatMessage record(LongFunction<ChatMessage> create) {
        ChatMessage message;
        synchronized (recordLock) {
            message = create.apply(++lastId);
            conversations.add(message);
            store.append(message);
        }
        listeners.messageChanged(message);
        return message;
    }

    private DeliveryResult finish(ChatMessage sending, DeliveryResult result) {
        ChatMessage done = withResult(sending, result);
        synchronized (recordLock) {
            conversations.replace(done);
            store.append(done);
        }
        listeners.messageChanged(done);
        return result;
    }

    /** Without a name (not logged in) the local UDP endpoint is the best description of "me". */
    private String ownName(RosterClient roster) {
        Optional<String> name = roster == null ? Optional.empty() : roster.userName();
        if (name.isPresent()) {
            return name.get();
        }
        MessageTransport transport = this.transport.get();
        return transport != null ? transport.localAddress().toString() : "me";
    }

    private static ChatMessage withResult(ChatMessage message, DeliveryResult result) {
        return new ChatMessage(message.id(), message.time(), message.from(), message.to(), message.text(),
                message.outgoing(), result.status(), result.reason());
    }

    private static DeliveryResult checked(DeliveryResult outcome) {
        if (outcome == null || outcome.status() == null) {
            return failed("transport reported no outcome");
        }
        return outcome.reason() == null ? new DeliveryResult(outcome.status(), "") : outcome;
    }

    private static DeliveryResult failed(String reason) {
        return new DeliveryResult(DeliveryStatus.FAILED, reason);
    }

    private static String reasonOf(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
