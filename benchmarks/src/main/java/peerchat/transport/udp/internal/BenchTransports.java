package peerchat.transport.udp.internal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.service.log.Logger;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.TransportStats;
import peerchat.api.transport.MessageKeeper;
import peerchat.api.transport.MessageListener;
import peerchat.api.transport.MessageTransport;

/** A real UDP transport engine on loopback for benchmarks outside this package, as a {@link MessageTransport}. */
public final class BenchTransports {

    private BenchTransports() {
    }

    /** A started engine on 127.0.0.1 with default settings; {@link AutoCloseable} to stop it. */
    public static Bench start(Logger logger, MessageListener... listeners) throws IOException {
        UdpTransportEngine engine = new UdpTransportEngine(NioDatagramIo.bind("127.0.0.1", 0),
                TransportSettings.defaults(), List.of(listeners), logger);
        engine.start();
        return new Bench(engine);
    }

    /** The engine with the keeper seam of the OSGi component. */
    public static final class Bench implements MessageTransport, AutoCloseable {
        private final UdpTransportEngine engine;

        private Bench(UdpTransportEngine engine) {
            this.engine = engine;
        }

        public void keeper(MessageKeeper keeper) {
            engine.keeper(keeper);
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
        public TransportStats stats() {
            return engine.stats();
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
