package peerchat.transport.udp.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;
import peerchat.api.transport.MessageKeeper;
import peerchat.api.transport.MessageListener;
import peerchat.api.transport.MessageTransport;

/**
 * The DS face of {@link UdpTransportEngine}: binds the configured UDP address on activation (and
 * fails activation if it cannot), hands whiteboard {@link MessageListener}s and the highest-ranked
 * {@link MessageKeeper} (dynamic, greedy, 0..1: a better keeper replaces the bound one at once) to the
 * engine and closes it on deactivation. Without a keeper no reliable message is acknowledged. A configuration change applies timing and window settings at once; a new bind
 * address or port re-binds (pending sends of the old socket fail with "transport stopped").
 */
@Component(name = UdpMessageTransport.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = MessageTransport.class)
@Designate(ocd = UdpTransportConfig.class)
public class UdpMessageTransport implements MessageTransport {

    static final String PID = "peerchat.transport.udp";

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    /** Updated in place by SCR as listener services come and go; the engine reads it per message. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.UPDATE)
    private final List<MessageListener> listeners = new CopyOnWriteArrayList<>();

    /** The bound keeper (kept here too, so that an engine opened by a re-bind gets it). */
    private MessageKeeper keeper;
    private volatile UdpTransportEngine engine;
    private String boundHost;
    private int boundPort;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindKeeper(MessageKeeper bound) {
        keeper = bound;
        UdpTransportEngine current = engine;
        if (current != null) {
            current.keeper(bound);
        }
    }

    synchronized void unbindKeeper(MessageKeeper unbound) {
        if (keeper != unbound) {
            return; // already replaced by a better one (greedy: bind of the new comes first)
        }
        keeper = null;
        UdpTransportEngine current = engine;
        if (current != null) {
            current.keeper(null);
        }
    }

    @Activate
    synchronized void activate(UdpTransportConfig config) throws IOException {
        TransportSettings settings = settings(config);
        engine = open(config, settings);
    }

    @Modified
    synchronized void modified(UdpTransportConfig config) throws IOException {
        TransportSettings settings = settings(config);
        if (config.host().equals(boundHost) && config.port() == boundPort) {
            engine.update(settings);
            logger.info("UDP transport settings updated: {}", settings);
            return;
        }
        UdpTransportEngine old = engine;
        engine = open(config, settings);
        old.close();
    }

    private TransportSettings settings(UdpTransportConfig config) {
        try {
            return TransportSettings.of(config);
        } catch (IllegalArgumentException e) {
            logger.error("invalid configuration {}: {}", PID, e.getMessage());
            throw e;
        }
    }

    private UdpTransportEngine open(UdpTransportConfig config, TransportSettings settings) throws IOException {
        NioDatagramIo io;
        try {
            io = NioDatagramIo.bind(config.host(), config.port());
        } catch (IOException e) {
            // The message already reads "cannot bind UDP 0.0.0.0:6001: address already in use".
            logger.error(e.getMessage());
            throw e;
        }
        UdpTransportEngine opened = new UdpTransportEngine(io, settings, listeners, logger);
        opened.keeper(keeper);
        opened.start();
        boundHost = config.host();
        boundPort = config.port();
        logger.info("UDP transport listening on {} (incarnation {}, initial RTO {} ms, timeout {} ms)",
                opened.localAddress(), Integer.toHexString(opened.incarnation()), settings.initialRtoMillis(),
                settings.deliveryTimeoutMillis());
        return opened;
    }

    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Override
    public PeerAddress localAddress() {
        return engine.localAddress();
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String text) {
        return engine.send(to, text);
    }

    @Override
    public CompletionStage<DeliveryResult> send(PeerAddress to, String messageId, String text) {
        return engine.send(to, messageId, text);
    }

    @Override
    public CompletionStage<DeliveryResult> sendPlain(PeerAddress to, String text) {
        return engine.sendPlain(to, text);
    }

    @Override
    public TransportStats stats() {
        return engine.stats();
    }
}
