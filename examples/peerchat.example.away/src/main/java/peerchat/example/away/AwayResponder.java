package peerchat.example.away;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.chat.ChatListener;
import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Presence;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.RosterEvent;
import peerchat.api.roster.RosterClient;
import peerchat.api.roster.RosterListener;

/**
 * While your presence is {@code away} (chat:status away), answers the first message of each peer
 * with a configurable text (PID {@code peerchat.example.away}). Listens to conversations
 * (ChatListener) and to the roster (RosterListener: coming back resets who was answered); replies go
 * out on its own thread, never on the thread that delivered the message.
 */
@Component(service = { ChatListener.class, RosterListener.class }, configurationPid = "peerchat.example.away")
@Designate(ocd = AwayConfig.class)
public class AwayResponder implements ChatListener, RosterListener {

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RosterClient roster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ChatService chat;

    private final AwayReplies replies = new AwayReplies();
    private volatile String reply = "";
    private ExecutorService sender;

    @Activate
    @Modified
    void configure(AwayConfig config) {
        reply = config.reply();
        synchronized (this) {
            if (sender == null) {
                sender = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "peerchat-example-away");
                    t.setDaemon(true);
                    return t;
                });
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        sender.shutdownNow();
    }

    @Override
    public void messageChanged(ChatMessage message) {
        RosterClient client = roster;
        Optional<Presence> mine = client == null ? Optional.empty()
                : client.userName().flatMap(client::find).map(RosterEntry::presence);
        Optional<String> peer = replies.replyTo(message, mine);
        if (peer.isEmpty()) {
            return;
        }
        String text = reply.replace("{name}", client.userName().orElse("me"));
        try {
            synchronized (this) {
                sender.execute(() -> send(peer.get(), text));
            }
        } catch (RejectedExecutionException e) {
            logger.debug("stopping: no auto-reply to {}", peer.get());
        }
    }

    private void send(String peer, String text) {
        ChatService service = chat;
        if (service == null) {
            logger.warn("no chat service: cannot auto-reply to {}", peer);
            return;
        }
        try {
            service.send(peer, text).whenComplete((result, failure) -> {
                if (failure != null) {
                    logger.warn("auto-reply to {} failed: {}", peer, failure.toString());
                } else {
                    logger.info("auto-replied to {}: {}", peer, result.status());
                }
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            logger.warn("auto-reply to {} not sent: {}", peer, e.getMessage());
        }
    }

    @Override
    public void rosterChanged(RosterEvent event) {
        RosterClient client = roster;
        RosterEntry entry = event.entry();
        if (client == null || entry == null) {
            return;
        }
        boolean me = client.userName().map(name -> name.equalsIgnoreCase(entry.name())).orElse(false);
        if (me && entry.presence() != Presence.AWAY) {
            replies.reset();
        }
    }
}
