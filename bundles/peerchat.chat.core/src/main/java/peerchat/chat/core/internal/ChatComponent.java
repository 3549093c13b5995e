package peerchat.chat.core.internal;

import java.io.File;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

import peerchat.api.chat.ChatCommand;
import peerchat.api.chat.ChatListener;
import peerchat.api.chat.ChatService;
import peerchat.api.chat.MessageInterceptor;
import peerchat.api.chat.MessageInterceptor.Direction;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.dto.RosterEntry;
import peerchat.api.roster.RosterClient;
import peerchat.api.transport.MessageListener;
import peerchat.api.transport.MessageTransport;

/**
 * Publishes the {@link ChatEngine} as {@link ChatService} and as the transport's
 * {@link MessageListener}. Roster client and transport are optional and dynamic: the service stays
 * up (history keeps working) while either is being replaced: a send without roster client fails at
 * once with a clear reason, a send without transport waits for the next one (see below) instead of
 * the whole chat going away.
 * <p>
 * Plugins ({@link ChatCommand}, {@link MessageInterceptor}; see docs/PLUGINS.md) run here, before the
 * engine: a {@code /command} line runs the command, and its text or the typed text passes the outgoing
 * interceptors; an incoming message passes the incoming ones. While no transport is bound (it is being
 * replaced), sends wait for the next one for up to {@link #SEND_PATIENCE} and then fail ({@link TransportGate}).
 */
@Component(service = { ChatService.class, MessageListener.class }, immediate = true)
public class ChatComponent implements ChatService, MessageListener {

    static final String HISTORY_FILE = "history/messages.tsv";
    static final int MESSAGES_PER_PEER = 1000;
    /** How long a plugin call may take before it is skipped. */
    static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(1);
    /** How long a send waits for a transport while none is bound. */
    static final Duration SEND_PATIENCE = Duration.ofSeconds(15);

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterClient roster;

    /** Bound before activation and replaced while active, so made at construction. */
    private final TransportGate transport = new TransportGate(SEND_PATIENCE);

    @Reference(service = MessageInterceptor.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    private volatile List<Map.Entry<Map<String, Object>, MessageInterceptor>> interceptors;

    @Reference(service = ChatCommand.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            fieldOption = FieldOption.REPLACE, collectionType = CollectionType.TUPLE)
    private volatile List<Map.Entry<Map<String, Object>, ChatCommand>> commands;

    private volatile ChatPlugins plugins;

    @Reference(service = ChatListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ChatListener> listeners;

    private volatile ChatEngine engine;

    @Activate
    void activate(BundleContext context) {
        ProblemLog problems = this::warn;
        File file = context.getDataFile(HISTORY_FILE);
        HistoryStore store;
        if (file == null) {
            logger.warn("the framework gives this bundle no data area: chat history is kept in memory only");
            store = HistoryStore.NONE;
        } else {
            store = new HistoryFile(file.toPath(), problems);
        }
        plugins = new ChatPlugins(() -> interceptors, () -> commands, problems, PLUGIN_TIMEOUT);
        engine = new ChatEngine(() -> roster, () -> transport, new ChatListeners(() -> listeners, problems), store,
                Clock.systemUTC(), MESSAGES_PER_PEER);
        logger.info("chat history: {}", file == null ? "memory only" : file);
    }

    @Deactivate
    void deactivate() {
        transport.close();
        plugins.close();
        engine.close();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MessageTransport bound) {
        transport.bind(bound);
    }

    void unbindTransport(MessageTransport unbound) {
        transport.unbind(unbound);
    }

    /**
     * Runs a {@code /command} instead of sending it, and passes the text to send through the
     * outgoing interceptors; the engine then records and sends what is left.
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
        return engine.history(peer, limit);
    }

    @Override
    public void messageReceived(IncomingMessage message) {
        if (message.plain() || message.text() == null || message.text().isEmpty() || message.from() == null) {
            // plain datagrams are checked by the engine first (only a legacy peer's count); not intercepted
            engine.messageReceived(message);
            return;
        }
        RosterClient client = roster;
        String peer = Optional.ofNullable(client).flatMap(c -> c.findByAddress(message.from()))
                .map(RosterEntry::name).orElse(message.from().toString());
        ChatPlugins.Result intercepted = plugins.intercept(Direction.INCOMING, peer, message.text());
        if (intercepted.text() == null) {
            logger.debug("incoming message from {} stopped by {}", peer, intercepted.stoppedBy());
            return;
        }
        engine.messageReceived(intercepted.text().equals(message.text()) ? message
                : new IncomingMessage(message.from(), intercepted.text(), message.receivedAt(), false));
    }

    private void warn(String message, Throwable cause) {
        if (cause == null) {
            logger.warn("{}", message);
        } else {
            logger.warn("{}", message, cause);
        }
    }
}
