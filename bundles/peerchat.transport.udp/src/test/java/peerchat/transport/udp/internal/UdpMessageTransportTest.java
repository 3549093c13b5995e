package peerchat.transport.udp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;

import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.transport.MessageListener;

/** The DS component driven by hand, as SCR would: inject, activate, use, deactivate. */
public class UdpMessageTransportTest {

    private final TestLogger log = new TestLogger();

    @Test
    public void activatesOnTheConfiguredAddressAndDeliversToWhiteboardListeners() throws Exception {
        UdpMessageTransport alice = component(log);
        UdpMessageTransport bob = component(new TestLogger());
        RecordingListener atBob = new RecordingListener();
        listenersOf(bob).add(atBob);
        bob.bindKeeper(Keepers.ALL); // SCR binds before it activates
        alice.activate(config(Map.of("host", "127.0.0.1")));
        bob.activate(config(Map.of("host", "127.0.0.1")));
        try {
            assertEquals("127.0.0.1", alice.localAddress().host());
            assertTrue(alice.localAddress().port() > 0);
            assertEquals(1, log.count("INFO", "UDP transport listening on 127.0.0.1:" + alice.localAddress().port()));

            DeliveryResult result = alice.send(bob.localAddress(), "hi bob").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(DeliveryStatus.DELIVERED, result.status());
            Await.until("message at bob", 10_000, () -> !atBob.messages.isEmpty());
            assertEquals(List.of("hi bob"), atBob.texts());
        } finally {
            alice.deactivate();
            bob.deactivate();
        }
        assertEquals(1, log.count("INFO", "stopped"));
    }

    @Test
    public void aBetterKeeperReplacesTheBoundOneAndMessagesAreKeptBeforeTheyAreDelivered() throws Exception {
        UdpMessageTransport alice = component(new TestLogger());
        UdpMessageTransport bob = component(new TestLogger());
        Keepers.Manual first = new Keepers.Manual();
        Keepers.Manual better = new Keepers.Manual();
        better.keepAtOnce = true;
        bob.bindKeeper(first);
        alice.bindKeeper(Keepers.ALL);
        alice.activate(config(Map.of("host", "127.0.0.1")));
        bob.activate(config(Map.of("host", "127.0.0.1")));
        try {
            var result = alice.send(bob.localAddress(), "id-1", "hi bob").toCompletableFuture();
            Await.until("offered to the first keeper", 10_000, () -> first.offers.size() == 1);
            bob.bindKeeper(better); // greedy: SCR binds the higher-ranked keeper, then unbinds the old one
            bob.unbindKeeper(first);
            assertEquals(DeliveryStatus.DELIVERED, result.get(10, TimeUnit.SECONDS).status());
            assertEquals(List.of("hi bob"), better.keptTexts());
            assertEquals("id-1", better.kept.get(0).messageId());
            bob.unbindKeeper(first); // late or repeated unbind of a replaced keeper: ignored
            assertEquals(DeliveryStatus.DELIVERED,
                    alice.send(bob.localAddress(), "again").toCompletableFuture().get(10, TimeUnit.SECONDS).status());
        } finally {
            alice.deactivate();
            bob.deactivate();
        }
    }

    @Test
    public void aPortInUseFailsActivationWithAClearError() throws Exception {
        UdpMessageTransport first = component(new TestLogger());
        first.activate(config(Map.of("host", "127.0.0.1")));
        try {
            int port = first.localAddress().port();
            UdpMessageTransport second = component(log);
            IOException e = assertThrows(IOException.class,
                    () -> second.activate(config(Map.of("host", "127.0.0.1", "port", port))));
            String expected = "cannot bind UDP 127.0.0.1:" + port + ": address already in use";
            assertEquals(expected, e.getMessage());
            assertEquals(1, log.count("ERROR", expected));
        } finally {
            first.deactivate();
        }
    }

    @Test
    public void anInvalidTimeoutFailsActivationWithAClearError() throws Exception {
        UdpMessageTransport transport = component(log);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> transport.activate(config(Map.of("deliveryTimeoutMillis", 0L))));
        assertEquals("deliveryTimeoutMillis must be 1..300000, was 0", e.getMessage());
        assertEquals(1, log.count("ERROR", "invalid configuration peerchat.transport.udp"));
    }

    @Test
    public void aConfigurationChangeAppliesAtOnceAndANewPortRebinds() throws Exception {
        UdpMessageTransport transport = component(log);
        transport.activate(config(Map.of("host", "127.0.0.1")));
        try {
            int port = transport.localAddress().port();
            transport.modified(config(Map.of("host", "127.0.0.1", "deliveryTimeoutMillis", 1234L,
                    "maxWindowPackets", 64)));
            assertEquals("same socket", port, transport.localAddress().port());
            assertEquals(1, log.count("INFO", "UDP transport settings updated"));
            assertEquals(0, transport.stats().messagesSent());

            int free;
            try (RawPeer probe = new RawPeer()) {
                free = probe.address().getPort();
            }
            transport.modified(config(Map.of("host", "127.0.0.1", "port", free)));
            assertEquals(free, transport.localAddress().port());
            assertEquals(1, log.count("INFO", "stopped")); // the old socket's engine
        } finally {
            transport.deactivate();
        }
    }

    private static UdpMessageTransport component(TestLogger log) throws Exception {
        UdpMessageTransport component = new UdpMessageTransport();
        Field logger = UdpMessageTransport.class.getDeclaredField("logger");
        logger.setAccessible(true);
        logger.set(component, log.logger);
        return component;
    }

    @SuppressWarnings("unchecked")
    private static List<MessageListener> listenersOf(UdpMessageTransport component) throws Exception {
        Field listeners = UdpMessageTransport.class.getDeclaredField("listeners");
        listeners.setAccessible(true);
        return (List<MessageListener>) listeners.get(component);
    }

    /** The configuration SCR would pass: the given values, defaults for the rest. */
    private static UdpTransportConfig config(Map<String, Object> values) {
        return (UdpTransportConfig) Proxy.newProxyInstance(UdpTransportConfig.class.getClassLoader(),
                new Class<?>[] {UdpTransportConfig.class}, (proxy, method, args) -> {
                    if (values.containsKey(method.getName())) {
                        return values.get(method.getName());
                    }
                    Object fallback = method.getDefaultValue();
                    if (fallback == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return fallback;
                });
    }
}
