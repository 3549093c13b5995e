package peerchat.chat.core.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.chat.ChatCommand;
import peerchat.api.chat.ChatListener;
import peerchat.api.chat.ChatService;
import peerchat.api.chat.MessageInterceptor;
import peerchat.api.chat.MessageInterceptor.Direction;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.RosterEvent;
import peerchat.api.roster.RosterClient;
import peerchat.api.roster.RosterListener;
import peerchat.api.store.MessageStore;
import peerchat.api.store.StoreException;
import peerchat.api.transport.MessageKeeper;
import peerchat.api.transport.MessageListener;
import peerchat.api.transport.MessageTransport;

/**
 * Publishes the {@link ChatEngine} as {@link ChatService}, as the transport's {@link MessageKeeper}
 * (reliable messages: acknowledged once stored) and {@link MessageListener} (plain datagrams of the
 * original application), and follows the roster for the outbox and the contacts.
 * <p>
 * The {@link MessageStore} is mandatory and static: without a store there is no chat core, so no
 * keeper, so the transport acknowledges nothing and senders keep their messages pending. Roster client
 * and transport are optional and dynamic: while either is being replaced, sends wait in the outbox.
 * <p>
 * Plugins ({@link ChatCommand}, {@link MessageInterceptor}; see docs/PLUGINS.md) run here, before the
 * engine: a {@code /command} line runs the command, and its text or the typed text passes the outgoing
 * interceptors; an incoming message passes the incoming ones on the chat thread, before it is stored.
 */
@Component(service = { ChatService.class, MessageKeeper.class, MessageListener.class, RosterListener.class },
        immediate = true, configurationPid = ChatComponent.PID)
@Designate(ocd = ChatConfig.class)
public class ChatComponent implements ChatService, MessageKeeper, MessageListener, RosterListener {

    static final String PID = "peerchat.chat.core";
    /** The history file of versions before the message store; imported once, then renamed. */
    static final String HISTORY_FILE = "history/messages.tsv";
    static final String IMPORTED_SUFFIX = ".imported";
    /** How long a plugin call may take before it is skipped. */
    static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(1);

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference
    private MessageStore store;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterClient roster;

    @Reference(service = MessageInterceptor.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    private volatile List<Map.Entry<Map<String, Object>, MessageInterceptor>> interceptors;

    @Reference(service = ChatCommand.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    private volatile List<Map.Entry<Map<String, Object>, ChatCommand>> commands;

    @Reference(service = ChatListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ChatListener> listeners;

    private volatile MessageTransport transport;
    private volatile ChatPlugins plugins;
    private volatile ChatListeners listenerCalls;
    private volatile ChatEngine engine;
    private ScheduledExecutorService retry;

    @Activate
    void activate(BundleContext context, ChatConfig config) {
        ProblemLog problems = this::warn;
        plugins = new ChatPlugins(() -> interceptors, () -> commands, problems, PLUGIN_TIMEOUT);
        listenerCalls = new ChatListeners(() -> listeners, problems, PLUGIN_TIMEOUT);
        engine = new ChatEngine(() -> roster, () -> transport, store, listenerCalls, this::interceptIncoming,
                Clock.systemUTC(), Duration.ofMinutes(Math.max(1, Math.round(config.outboxExpiryDays() * 24 * 60))));
        importHistory(context.getDataFile(HISTORY_FILE));
        retry = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "peerchat-chat-outbox");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, config.retrySeconds());
        retry.scheduleWithFixedDelay(engine::flushOutbox, every, every, TimeUnit.SECONDS);
        engine.flushOutbox(); // messages cut off by the last stop go out again
        logger.info("chat core ready: outbox expires after {} days, retried every {} s", config.outboxExpiryDays(),
                every);
    }

    @Deactivate
    void deactivate() {
        retry.shutdownNow();
        engine.close();
        listenerCalls.close();
        plugins.close();
    }

    /** Imports the history file of earlier versions once; it is renamed afterwards, never deleted. */
    private void importHistory(File file) {
        if (file == null || !file.isFile()) {
            return;
        }
        Path path = file.toPath();
        try {
            List<ChatMessage> old = HistoryImport.read(path, this::warn);
            engine.importHistory(old);
            Path imported = path.resolveSibling(path.getFileName() + IMPORTED_SUFFIX);
            Files.move(path, imported, StandardCopyOption.REPLACE_EXISTING);
            logger.info("imported {} messages of the old chat history {} into the message store; the file is now {}",
                    old.size(), path, imported);
        } catch (IOException | StoreException e) {
            logger.error("cannot import the old chat history {} (tried again at the next start): {}", path,
                    e.getMessage(), e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MessageTransport bound) {
        transport = bound;
        ChatEngine current = engine;
        if (current != null) {
            current.flushOutbox();
        }
    }

    void unbindTransport(MessageTransport unbound) {
        if (transport == unbound) {
            transport = null;
        }
    }

    /**
     * Runs a {@code /command} instead of sending it, and passes the text to send through the
     * outgoing interceptors; the engine then stores and sends what is left.
     */
    @Override
    public CompletionStage<DeliveryResult> send(String to, String text) {
        if (to == null || to.isBlank() || text == null || text.isEmpty()) {
            return engine.send(to, text); // the engine explains what is wrong
        }
        String peer = to.trim();
        String body = text;
        ChatPlugins current = plugins;
        if (ChatPlugins.isCommand(text)) {
            ChatPlugins.CommandRun run = current.run(peer, text);
            if (run.failure() != null) {
                return CompletableFuture.completedFuture(new DeliveryResult(DeliveryStatus.FAILED, run.failure()));
            }
            Optional<String> toSend = run.toSend();
            if (toSend.isEmpty()) {
                return CompletableFuture.completedFuture(
                        new DeliveryResult(DeliveryStatus.DELIVERED, "command " + run.command() + " ran; nothing sent"));
            }
            body = toSend.get();
        } else {
            body = ChatPlugins.unescape(text);
        }
        ChatPlugins.Result intercepted = current.intercept(Direction.OUTGOING, peer, body);
        if (intercepted.text() == null) {
            return CompletableFuture.completedFuture(
                    new DeliveryResult(DeliveryStatus.FAILED, "stopped by " + intercepted.stoppedBy()));
        }
        return engine.send(peer, intercepted.text());
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
    public CompletionStage<?> keep(IncomingMessage message) {
        return engine.keep(message);
    }

    /** Messages from roster members count as known; with no roster client bound, every address does. */
    @Override
    public boolean knows(PeerAddress source) {
        RosterClient client = roster;
        return client == null || client.findByAddress(source).isPresent();
    }

    /** Plain datagrams only: reliable messages came through {@link #keep} and are stored already. */
    @Override
    public void messageReceived(IncomingMessage message) {
        if (message.plain() && message.from() != null) {
            engine.plainReceived(message);
        }
    }

    @Override
    public void rosterChanged(RosterEvent event) {
        engine.rosterChanged(event.roster(), event.kind() == RosterEvent.Kind.LEFT ? event.entry() : null);
    }

    /** The incoming interceptors' verdict: the text to keep, or null when one stopped the message. */
    private String interceptIncoming(String peer, String text) {
        ChatPlugins.Result intercepted = plugins.intercept(Direction.INCOMING, peer, text);
        if (intercepted.text() == null) {
            logger.debug("incoming message from {} stopped by {}", peer, intercepted.stoppedBy());
        }
        return intercepted.text();
    }

    private void warn(String message, Throwable cause) {
        if (cause == null) {
            logger.warn("{}", message);
        } else {
            logger.warn("{}", message, cause);
        }
    }
}
