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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.transport.MessageListener;
import peerchat.api.transport.MessageTransport;

/**
 * The DS face of {@link UdpTransportEngine}: binds the configured UDP address on activation (and
 * fails activation if it cannot), hands whiteboard {@link MessageListener}s to the engine and closes
 * it on deactivation. A configuration change re-activates the component, i.e. re-binds.
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

    private UdpTransportEngine engine;

    @Activate
    void activate(UdpTransportConfig config) throws IOException {
        TransportSettings settings;
        try {
            settings = TransportSettings.of(config.retransmitMillis(), config.deliveryTimeoutMillis());
        } catch (IllegalArgumentException e) {
            logger.error("invalid configuration {}: {}", PID, e.getMessage());
            throw e;
        }
        NioDatagramIo io;
        try {
            io = NioDatagramIo.bind(config.host(), config.port());
        } catch (IOException e) {
            // The message already reads "cannot bind UDP 0.0.0.0:6001: address already in use".
            logger.error(e.getMessage());
            throw e;
        }
        engine = new UdpTransportEngine(io, settings, listeners, logger);
        engine.start();
        logger.info("UDP transport listening on {} (session {}, retransmit after {} ms, timeout {} ms)",
                engine.localAddress(), Integer.toHexString(engine.sessionId()), settings.retransmitMillis(),
                settings.deliveryTimeoutMillis());
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
}
