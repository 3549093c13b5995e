package peerchat.chat.core.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

import peerchat.api.chat.UnknownUserException;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;
import peerchat.api.store.MessageStore;
import peerchat.api.store.StateChange;
import peerchat.api.store.StoreException;
import peerchat.api.store.StoredContact;
import peerchat.api.store.StoredMessage;
import peerchat.api.transport.MessageTransport;

/**
 * The chat logic without OSGi. Every message is in the {@link MessageStore} before anything else
 * happens to it: an outgoing one before it is sent (so it survives restarts and can wait in the
 * outbox), an incoming one before the transport may acknowledge it ({@link #keep}: "delivered means
 * stored"). The store is the conversation model; nothing else keeps a copy.
 * <p>
 * One serial chat thread ({@code peerchat-chat}) owns incoming interceptors, store writes and the
 * outbox; writes that queue up while a commit runs go into the next one (group commit). Listeners are
 * told on their own thread ({@link ChatListeners}), so nothing here waits for them.
 * <p>
 * Outbox: a message to a known contact who is offline, or one the peer did not acknowledge in time,
 * is QUEUED and goes out again, in order, when the peer is seen online ({@link #flushOutbox}, called
 * on roster changes, when a transport arrives and every {@code retryInterval}); after {@code expiry}
 * it fails as {@code expired}. Resent messages keep their id, so a receiver that already stored the
 * first copy drops the second.
 * <p>
 * Clients of the original application ({@link RosterEntry#legacy()}) get plain {@code MYNAME: text}
 * datagrams (outcome SENT at best: they cannot acknowledge), and only their address may send us
 * plain datagrams (LEGACY-PROTOCOL.md, docs/PROTOCOL-UDP.md "Plain datagrams").
 */
final class ChatEngine implements AutoCloseable {

    static final String TRANSPORT_MISSING = "transport not available";
    static final String ROSTER_MISSING = "not logged in (roster client not available)";
    static final String NOT_LOGGED_IN = "not logged in";
    static final String OFFLINE = "offline";
    static final String EXPIRED = "expired";
    /** A message still SENDING in an imported history file was cut off by a shutdown: its outcome is lost. */
    static final String CUT_OFF = "outcome unknown: stopped before the peer answered";
    static final String STORE_PROBLEM = "cannot store messages: ";
    static final long PLAIN_WARN_INTERVAL_MILLIS = 60_000;
    /** The transport's limit; a longer message is refused for good instead of queued. */
    static final int MAX_MESSAGE_BYTES = 1 << 20;
    private static final int MAX_BATCH = 1_000;

    /** A message waiting for the chat thread to store it. */
    private record PendingAdd(StoredMessage draft, boolean intercept, CompletableFuture<StoredMessage> stored) {
    }

    private final Supplier<RosterClient> roster;
    private final Supplier<MessageTransport> transport;
    private final MessageStore store;
    private final ChatListeners listeners;
    private final BinaryOperator<String> incomingInterceptors;
    private final Clock clock;
    private final Duration expiry;
    private final ProblemLog problems;
    private final ExecutorService chat;
    private final MessageIds ids;
    private final java.util.concurrent.ConcurrentLinkedQueue<PendingAdd> adds = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** Received times are unique and increasing, so a duplicate's stored copy is recognisable by its older time. */
    private final AtomicLong lastReceivedMillis = new AtomicLong();
    /** Plain datagrams not taken as messages (not from a legacy peer, or empty). */
    private final AtomicLong plainIgnored = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Object plainWarnLock = new Object();
    private long lastPlainWarnMillis = Long.MIN_VALUE;
    private long plainHeldBack;

    // chat thread only
    /** Where and through which transport each message on its way went. */
    private record Flight(String peer, PeerAddress to, MessageTransport via) {
    }

    private final Map<Long, Flight> inFlight = new HashMap<>();
    /** Who was last seen at an address, for messages that arrive while the roster is away (being replaced). */
    private final Map<PeerAddress, String> lastKnownNames = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<DeliveryResult>> callers = new HashMap<>();
    private final List<StateChange> unsaved = new ArrayList<>();
    private final Set<String> seenThisSession = new HashSet<>();
    /** Peers (lower case) that may have messages waiting in the outbox; a send to any other goes straight out. */
    private final Set<String> peersWithWaiting = new HashSet<>();
    private boolean outboxLoaded;
    private boolean saveScheduled;
    private volatile String fault;
    /** The name we were last logged in with: queued messages written while logged out carry it. */
    private volatile String lastOwnName;

    /**
     * @param incomingInterceptors (peer, text) → the text to keep, or null when an interceptor stopped it
     */
    ChatEngine(Supplier<RosterClient> roster, Supplier<MessageTransport> transport, MessageStore store,
            ChatListeners listeners, BinaryOperator<String> incomingInterceptors, Clock clock, Duration expiry) {
        this.roster = roster;
        this.transport = transport;
        this.store = store;
        this.listeners = listeners;
        this.incomingInterceptors = incomingInterceptors;
        this.clock = clock;
        this.expiry = expiry;
        this.problems = listeners.problems();
        this.ids = new MessageIds(clock::millis);
        this.chat = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "peerchat-chat");
            t.setDaemon(true);
            return t;
        });
    }

    // ---- sending ---------------------------------------------------------------------------------

    /**
     * Stores the message, then sends it (online), or keeps it QUEUED (a known contact offline, no
     * transport). The stage completes with the first settled outcome.
     *
     * @throws IllegalArgumentException for an empty name or text
     * @throws IllegalStateException when not logged in
     * @throws UnknownUserException when nobody of that name is online or a contact
     */
    CompletionStage<DeliveryResult> send(String to, String text) {
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("recipient name is empty");
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("message text is empty");
        }
        RosterClient roster = this.roster.get();
        String name = to.trim();
        Optional<String> loggedInAs = roster == null ? Optional.empty() : roster.userName();
        if (loggedInAs.isEmpty()) {
            // not logged in (the roster client is being replaced, or the server is away): a contact
            // gets the message queued under the name we last had, anyone else is refused
            Optional<String> contact = lastOwnName == null ? Optional.empty() : knownContact(name);
            if (contact.isEmpty()) {
                throw new IllegalStateException(roster == null ? ROSTER_MISSING : NOT_LOGGED_IN);
            }
            return queueOrSend(lastOwnName, contact.get(), text, Optional.empty(), NOT_LOGGED_IN);
        }
        String me = loggedInAs.get();
        lastOwnName = me;
        Optional<RosterEntry> online = roster.find(name);
        String recipient = online.map(RosterEntry::name).or(() -> knownContact(name))
                .orElseThrow(() -> new UnknownUserException(name));
        return queueOrSend(me, recipient, text, online, online.isEmpty() ? OFFLINE : TRANSPORT_MISSING);
    }

    /** Stores the message (SENDING when it can go now, QUEUED with {@code waitReason} otherwise) and sends it. */
    private CompletionStage<DeliveryResult> queueOrSend(String me, String recipient, String text,
            Optional<RosterEntry> online, String waitReason) {
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            return CompletableFuture.completedFuture(failed("message too large: more than " + MAX_MESSAGE_BYTES
                    + " bytes of UTF-8"));
        }
        boolean canGo = online.isPresent() && transport.get() != null;
        StoredMessage draft = new StoredMessage(0, ids.next(), recipient, true, me, recipient, text,
                clock.instant(), null, null, canGo ? DeliveryStatus.SENDING : DeliveryStatus.QUEUED,
                canGo ? "" : waitReason);
        CompletableFuture<DeliveryResult> result = new CompletableFuture<>();
        add(draft, false).whenComplete((stored, failure) -> {
            if (failure != null) {
                result.complete(failed(STORE_PROBLEM + reasonOf(failure)));
                return;
            }
            onChatThread(() -> {
                String key = stored.peer().toLowerCase(Locale.ROOT);
                if (stored.state() == DeliveryStatus.QUEUED) {
                    peersWithWaiting.add(key);
                    result.complete(new DeliveryResult(DeliveryStatus.QUEUED, stored.reason()));
                    return;
                }
                callers.put(stored.seq(), result);
                loadOutbox();
                Optional<RosterEntry> entry = Optional.ofNullable(this.roster.get()).flatMap(r -> r.find(key));
                MessageTransport now = transport.get();
                if (!peersWithWaiting.contains(key) && entry.isPresent() && now != null
                        && onlyInFlightTo(key, entry.get().address(), now)) {
                    transmit(stored, entry.get(), now); // the usual case: nothing older waits for this peer
                } else {
                    peersWithWaiting.add(key);
                    flushPeer(key);
                }
            }, () -> result.complete(failed("chat core stopped")));
        });
        return result;
    }

    /** A contact of that name (any case), under the spelling the store knows. */
    private Optional<String> knownContact(String name) {
        for (StoredContact contact : store.contacts()) {
            if (contact.name().equalsIgnoreCase(name)) {
                return Optional.of(contact.name());
            }
        }
        return Optional.empty();
    }

    /** Sends whatever waits in the outbox for peers that are online now; expires what waited too long. */
    void flushOutbox() {
        onChatThread(() -> {
            loadOutbox();
            List.copyOf(peersWithWaiting).forEach(this::flushPeer);
        }, () -> { });
    }

    /** Chat thread: once per engine, learns whose messages wait in the store (also those cut off by a stop). */
    private void loadOutbox() {
        if (!outboxLoaded) {
            outboxLoaded = true;
            store.outbox().forEach(waiting -> peersWithWaiting.add(waiting.peer().toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * True when every message on its way to this peer went to this address through this transport:
     * a new one may follow them at once. Otherwise an older one may yet fail and be sent again, and a
     * newer one sent now would arrive before it; the newer one waits until the older ones settled.
     */
    private boolean onlyInFlightTo(String peer, PeerAddress to, MessageTransport via) {
        for (Flight flight : inFlight.values()) {
            if (flight.peer().equals(peer) && (!flight.to().equals(to) || flight.via() != via)) {
                return false;
            }
        }
        return true;
    }

    private boolean anyInFlightTo(String peer) {
        return inFlight.values().stream().anyMatch(flight -> flight.peer().equals(peer));
    }

    /**
     * Chat thread: sends this peer's waiting messages in order, when it is online, a transport is
     * there and nothing to it is on its way any more (then nothing older can still fail and be
     * overtaken).
     */
    private void flushPeer(String peer) {
        saveUnsaved();
        if (anyInFlightTo(peer.toLowerCase(Locale.ROOT))) {
            return; // called again when the last of them settled
        }
        RosterClient roster = this.roster.get();
        MessageTransport transport = this.transport.get();
        Optional<RosterEntry> entry = roster == null || roster.userName().isEmpty() ? Optional.empty()
                : roster.find(peer);
        Instant now = clock.instant();
        boolean stillWaiting = false;
        for (StoredMessage waiting : store.outbox()) {
            if (!waiting.peer().equalsIgnoreCase(peer) || inFlight.containsKey(waiting.seq())) {
                continue;
            }
            if (waiting.sent().plus(expiry).isBefore(now)) {
                settle(waiting, failed(EXPIRED));
                continue;
            }
            if (entry.isEmpty() || transport == null) {
                stillWaiting = true;
                String reason = entry.isEmpty() ? OFFLINE : TRANSPORT_MISSING;
                if (waiting.state() != DeliveryStatus.QUEUED) {
                    settle(waiting, new DeliveryResult(DeliveryStatus.QUEUED, reason));
                }
                continue;
            }
            transmit(waiting, entry.get(), transport);
        }
        if (!stillWaiting) {
            peersWithWaiting.remove(peer.toLowerCase(Locale.ROOT));
        }
    }

    /** Chat thread: hands one stored message to the transport; its outcome comes back to the chat thread. */
    private void transmit(StoredMessage message, RosterEntry to, MessageTransport transport) {
        String peer = message.peer().toLowerCase(Locale.ROOT);
        inFlight.put(message.seq(), new Flight(peer, to.address(), transport));
        if (message.state() != DeliveryStatus.SENDING) {
            change(message, DeliveryStatus.SENDING, "");
        }
        CompletionStage<DeliveryResult> outcome;
        try {
            // A client of the original application gets its own format and cannot acknowledge: SENT at best.
            outcome = to.legacy() ? transport.sendPlain(to.address(), LegacyText.line(message.from(), message.text()))
                    : transport.send(to.address(), message.id(), message.text());
        } catch (RuntimeException | LinkageError e) {
            // a transport going away while we call it did not take the message
            outcome = CompletableFuture.completedFuture(failed(TRANSPORT_MISSING + ": " + reasonOf(e)));
        }
        outcome.whenComplete((result, failure) -> onChatThread(() -> {
            inFlight.remove(message.seq());
            DeliveryResult checked = failure == null ? checked(result) : failed(reasonOf(failure));
            boolean requeued = checked.status() == DeliveryStatus.FAILED && !to.legacy();
            if (requeued) {
                // not acknowledged (timed out, peer restarted, transport swapped): back to the outbox
                checked = new DeliveryResult(DeliveryStatus.QUEUED, "not acknowledged: " + checked.reason());
                peersWithWaiting.add(peer);
            }
            settle(message, checked);
            if (!requeued && peersWithWaiting.contains(peer) && !anyInFlightTo(peer)) {
                flushPeer(peer); // what waited behind the messages on their way goes now, in order
            }
        }, () -> { }));
    }

    /** Chat thread: records an outcome and tells the caller still waiting for it, if any. */
    private void settle(StoredMessage message, DeliveryResult result) {
        // the caller first: the peer has it either way; a state lost to a crash means one resend, dropped there
        CompletableFuture<DeliveryResult> caller = callers.remove(message.seq());
        if (caller != null) {
            caller.complete(result);
        }
        change(message, result.status(), result.reason());
    }

    /** Chat thread: stores a new state (retried later if the store cannot write now) and tells the listeners. */
    private void change(StoredMessage message, DeliveryStatus state, String reason) {
        Instant now = clock.instant();
        unsaved.add(new StateChange(message.seq(), state, reason, now));
        if (!saveScheduled) {
            // after what is queued on the chat thread now: the changes of a burst go into one commit
            saveScheduled = true;
            onChatThread(() -> {
                saveScheduled = false;
                saveUnsaved();
            }, () -> { });
        }
        StoredMessage changed = new StoredMessage(message.seq(), message.id(), message.peer(), message.outgoing(),
                message.from(), message.to(), message.text(), message.sent(), message.received(),
                state == DeliveryStatus.DELIVERED ? now : message.delivered(), state, reason);
        listeners.messageChanged(chatMessage(changed));
    }

    private void saveUnsaved() {
        if (unsaved.isEmpty()) {
            return;
        }
        try {
            store.update(List.copyOf(unsaved));
            unsaved.clear();
            clearFault();
        } catch (StoreException e) {
            setFault(e); // kept in memory and written with the next change or retry
        }
    }

    // ---- receiving -------------------------------------------------------------------------------

    /**
     * Stores a reliable message; the stage completes once it is on disk (then the transport may
     * acknowledge it), or exceptionally when it cannot be stored now (the transport offers it again
     * later). A message an incoming interceptor stops completes without being stored.
     */
    CompletionStage<Void> keep(IncomingMessage incoming) {
        Objects.requireNonNull(incoming.from(), "incoming message without sender address");
        RosterClient roster = this.roster.get();
        Optional<RosterEntry> sender = Optional.ofNullable(roster)
                .flatMap(client -> client.findByAddress(incoming.from()));
        String from = sender.map(RosterEntry::name)
                .orElseGet(() -> lastKnownNames.getOrDefault(incoming.from(), incoming.from().toString()));
        String text = incoming.text() == null ? "" : incoming.text();
        String id = incoming.messageId() != null ? incoming.messageId() : ids.next();
        return add(incomingDraft(id, from, ownName(roster), text, incoming.receivedAt()), true)
                .thenApply(stored -> null);
    }

    private StoredMessage incomingDraft(String id, String from, String to, String text, Instant sent) {
        Instant received = Instant.ofEpochMilli(lastReceivedMillis.updateAndGet(
                last -> Math.max(last + 1, clock.millis())));
        return new StoredMessage(0, id, from, false, from, to, text, sent != null ? sent : received, received, null,
                DeliveryStatus.DELIVERED, "");
    }

    /**
     * A plain datagram (no acknowledgement possible) is a message only when it comes from a legacy
     * peer's address: its leading {@code NAME:} is taken off and it is trimmed like the original does;
     * any other plain datagram is ignored, counted and logged (rate-limited), since anyone can send one.
     */
    void plainReceived(IncomingMessage incoming) {
        RosterClient roster = this.roster.get();
        Optional<RosterEntry> sender = Optional.ofNullable(roster)
                .flatMap(client -> client.findByAddress(incoming.from()));
        if (sender.isEmpty() || !sender.get().legacy()) {
            ignorePlain(incoming, sender.map(entry -> entry.name() + " is not a client of the original application")
                    .orElse("no legacy peer in the roster has that address"));
            return;
        }
        String text = LegacyText.text(incoming.text() == null ? "" : incoming.text(), sender.get().name());
        if (text.isEmpty()) {
            ignorePlain(incoming, "no text");
            return;
        }
        add(incomingDraft(ids.next(), sender.get().name(), ownName(roster), text,
                incoming.receivedAt()), false);
    }

    /** Plain datagrams ignored so far. */
    long plainIgnored() {
        return plainIgnored.get();
    }

    /** Incoming messages dropped because they were stored before (resent by their sender). */
    long duplicates() {
        return duplicates.get();
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

    // ---- the store, group commit -----------------------------------------------------------------

    /** Queues a new message for the next commit on the chat thread. */
    private CompletableFuture<StoredMessage> add(StoredMessage draft, boolean intercept) {
        CompletableFuture<StoredMessage> stored = new CompletableFuture<>();
        adds.add(new PendingAdd(draft, intercept, stored));
        if (drainScheduled.compareAndSet(false, true)) {
            onChatThread(this::drain, () -> failAll(new StoreException("chat core stopped")));
        }
        return stored;
    }

    /** Chat thread: everything queued so far, in one transaction; then acknowledgements and listeners. */
    private void drain() {
        drainScheduled.set(false);
        while (!adds.isEmpty()) {
            List<PendingAdd> batch = new ArrayList<>();
            List<StoredMessage> drafts = new ArrayList<>();
            PendingAdd next;
            while (batch.size() < MAX_BATCH && (next = adds.poll()) != null) {
                StoredMessage draft = next.draft();
                if (next.intercept()) {
                    String text = incomingInterceptors.apply(draft.peer(), draft.text());
                    if (text == null) {
                        next.stored().complete(null); // stopped by a plugin: acknowledged, not kept
                        continue;
                    }
                    draft = withText(draft, text);
                }
                batch.add(new PendingAdd(draft, next.intercept(), next.stored()));
                drafts.add(draft);
            }
            if (batch.isEmpty()) {
                continue;
            }
            List<StoredMessage> stored;
            try {
                stored = store.add(drafts);
                clearFault();
            } catch (StoreException | RuntimeException e) {
                setFault(e);
                batch.forEach(pending -> pending.stored().completeExceptionally(e));
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                StoredMessage mine = drafts.get(i);
                StoredMessage kept = stored.get(i);
                boolean duplicate = !mine.outgoing() && kept.received() != null && mine.received() != null
                        && kept.received().toEpochMilli() != mine.received().toEpochMilli();
                if (duplicate) {
                    duplicates.incrementAndGet();
                } else {
                    listeners.messageChanged(chatMessage(kept));
                }
                batch.get(i).stored().complete(kept);
            }
        }
    }

    private void failAll(Exception why) {
        PendingAdd pending;
        while ((pending = adds.poll()) != null) {
            pending.stored().completeExceptionally(why);
        }
    }

    private void setFault(Exception e) {
        String reason = reasonOf(e);
        if (!reason.equals(fault)) {
            problems.warn(STORE_PROBLEM + reason + " (incoming messages are not acknowledged until this clears)", e);
        }
        fault = reason;
    }

    private void clearFault() {
        if (fault != null) {
            problems.warn("messages can be stored again (was: " + fault + ")", null);
            fault = null;
        }
    }

    /** Why messages cannot be stored now, if they cannot. */
    Optional<String> storeFault() {
        String mine = fault;
        return mine != null ? Optional.of(mine) : store.fault();
    }

    /**
     * Runs on the chat thread; {@code ifStopped} when the engine is closed. A throwable from the task
     * is logged: the chat thread must survive any one message.
     */
    private void onChatThread(Runnable task, Runnable ifStopped) {
        try {
            chat.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
                    problems.warn("chat thread task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            ifStopped.run();
        }
    }

    // ---- reading ---------------------------------------------------------------------------------

    /** @throws IllegalArgumentException for an empty name or a negative limit */
    List<ChatMessage> history(String peer, long beforeId, int limit) {
        if (peer == null || peer.isBlank()) {
            throw new IllegalArgumentException("peer name is empty");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        return store.conversation(peer.trim(), beforeId, limit).stream().map(ChatEngine::chatMessage).toList();
    }

    /** @throws IllegalArgumentException for an empty text or a negative limit */
    List<ChatMessage> search(String text, String peer, int limit) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("search text is empty");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        String within = peer == null || peer.isBlank() ? null : peer.trim();
        return store.search(text, within, limit).stream().map(ChatEngine::chatMessage).toList();
    }

    /** Contacts of the store plus everyone online now, by name (ignoring case). */
    List<Contact> contacts() {
        RosterClient roster = this.roster.get();
        List<RosterEntry> online = roster == null ? List.of() : roster.roster();
        String me = roster == null ? null : roster.userName().orElse(null);
        Instant now = clock.instant();
        Map<String, Contact> byName = new java.util.TreeMap<>();
        for (StoredContact contact : store.contacts()) {
            byName.put(contact.name().toLowerCase(Locale.ROOT), new Contact(contact.name(), null, contact.lastSeen()));
        }
        for (RosterEntry entry : online) {
            byName.put(entry.name().toLowerCase(Locale.ROOT), new Contact(entry.name(), entry.presence(), now));
        }
        if (me != null) {
            byName.remove(me.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(byName.values());
    }

    /**
     * Remembers who is online now as contacts (once per name and session, and again when they
     * leave, for "last seen"), then sends what waits for them.
     */
    void rosterChanged(List<RosterEntry> online, RosterEntry left) {
        RosterClient client = roster.get();
        if (client != null) {
            client.userName().ifPresent(name -> lastOwnName = name);
        }
        for (RosterEntry entry : online) {
            lastKnownNames.put(entry.address(), entry.name());
        }
        onChatThread(() -> {
            Instant now = clock.instant();
            try {
                for (RosterEntry entry : online) {
                    if (seenThisSession.add(entry.name().toLowerCase(Locale.ROOT))) {
                        store.seen(entry.name(), now);
                    }
                }
                if (left != null) {
                    seenThisSession.remove(left.name().toLowerCase(Locale.ROOT));
                    store.seen(left.name(), now);
                }
            } catch (StoreException e) {
                setFault(e);
            }
        }, () -> { });
        flushOutbox();
    }

    /** Imports messages of an earlier version's history file (ids {@code history-N}), in batches. */
    void importHistory(List<ChatMessage> messages) throws StoreException {
        List<StoredMessage> drafts = new ArrayList<>();
        for (ChatMessage old : messages) {
            DeliveryStatus state = old.status() == DeliveryStatus.SENDING ? DeliveryStatus.FAILED : old.status();
            String reason = old.status() == DeliveryStatus.SENDING ? CUT_OFF : old.reason();
            String peer = old.outgoing() ? old.to() : old.from();
            drafts.add(new StoredMessage(0, "history-" + old.id(), peer, old.outgoing(), old.from(), old.to(),
                    old.text(), old.time(), old.outgoing() ? null : old.time(),
                    state == DeliveryStatus.DELIVERED && old.outgoing() ? old.time() : null, state,
                    reason == null ? "" : reason));
            if (drafts.size() == MAX_BATCH) {
                store.add(drafts);
                drafts.clear();
            }
        }
        if (!drafts.isEmpty()) {
            store.add(drafts);
        }
    }

    /** Waits until the chat thread has done everything queued so far (tests, orderly shutdown). */
    boolean awaitChatThread(Duration patience) throws InterruptedException {
        // twice: a task running while the first mark is queued may queue more work (a state save) behind it
        for (int round = 0; round < 2; round++) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            onChatThread(() -> done.complete(null), () -> done.complete(null));
            try {
                done.get(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        chat.shutdown();
        try {
            if (!chat.awaitTermination(5, TimeUnit.SECONDS)) {
                problems.warn("the chat thread did not finish within 5 s; stopping it", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chat.shutdownNow();
        failAll(new StoreException("chat core stopped"));
        // sends still waiting for an outcome stay SENDING in the store and go out again after the restart
        callers.values().forEach(caller -> caller.complete(
                new DeliveryResult(DeliveryStatus.QUEUED, "chat core stopped; sent again when it is back")));
        callers.clear();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** Without a name (not logged in) the local UDP endpoint is the best description of "me". */
    private String ownName(RosterClient roster) {
        Optional<String> name = roster == null ? Optional.empty() : roster.userName();
        if (name.isPresent()) {
            return name.get();
        }
        MessageTransport transport = this.transport.get();
        return transport != null ? transport.localAddress().toString() : "me";
    }

    static ChatMessage chatMessage(StoredMessage stored) {
        Instant time = stored.outgoing() || stored.received() == null ? stored.sent() : stored.received();
        return new ChatMessage(stored.seq(), time, stored.from(), stored.to(), stored.text(), stored.outgoing(),
                stored.state(), stored.reason() == null ? "" : stored.reason());
    }

    private static StoredMessage withText(StoredMessage message, String text) {
        return new StoredMessage(message.seq(), message.id(), message.peer(), message.outgoing(), message.from(),
                message.to(), text, message.sent(), message.received(), message.delivered(), message.state(),
                message.reason());
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

    static String reasonOf(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
