package peerchat.chat.core.internal;

import java.io.File;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import peerchat.api.chat.ChatListener;
import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.IncomingMessage;
import peerchat.api.roster.RosterClient;
import peerchat.api.transport.MessageListener;
import peerchat.api.transport.MessageTransport;

/**
 * Publishes the {@link ChatEngine} as {@link ChatService} and as the transport's
 * {@link MessageListener}. Roster client and transport are optional and dynamic: the service stays
 * up (history keeps working) while either is being replaced, and a send in that moment fails with a
 * clear reason instead of the whole chat going away.
 */
@Component(service = { ChatService.class, MessageListener.class }, immediate = true)
public class ChatComponent implements ChatService, MessageListener {

    static final String HISTORY_FILE = "history/messages.tsv";
    static final int MESSAGES_PER_PEER = 1000;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RosterClient roster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MessageTransport transport;

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
        engine = new ChatEngine(() -> roster, () -> transport, new ChatListeners(() -> listeners, problems), store,
                Clock.systemUTC(), MESSAGES_PER_PEER);
        logger.info("chat history: {}", file == null ? "memory only" : file);
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Override
    public CompletionStage<DeliveryResult> send(String to, String text) {
        return engine.send(to, text);
    }

    @Override
    public List<ChatMessage> history(String peer, int limit) {
        return engine.history(peer, limit);
    }

    @Override
    public void messageReceived(IncomingMessage message) {
        engine.messageReceived(message);
    }

    private void warn(String message, Throwable cause) {
        if (cause == null) {
            logger.warn("{}", message);
        } else {
            logger.warn("{}", message, cause);
        }
    }
}
