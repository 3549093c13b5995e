package peerchat.chat.core.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.osgi.service.log.Logger;

import peerchat.api.transport.MessageKeeper;
import peerchat.api.transport.MessageListener;
import peerchat.transport.udp.internal.UdpMessageTransport;

/** The real UDP transport component on loopback, driven as SCR would (its methods are package-private). */
final class RealTransports {

    private RealTransports() {
    }

    /** Activated on 127.0.0.1, any port; its log format strings go to {@code log}. */
    static UdpMessageTransport activated(List<String> log) throws Exception {
        UdpMessageTransport component = new UdpMessageTransport();
        Field logger = UdpMessageTransport.class.getDeclaredField("logger");
        logger.setAccessible(true);
        logger.set(component, logger(log));
        Class<?> configType = Class.forName("peerchat.transport.udp.internal.UdpTransportConfig");
        Map<String, Object> values = Map.of("host", "127.0.0.1");
        Object config = Proxy.newProxyInstance(configType.getClassLoader(), new Class<?>[] {configType},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : method.getDefaultValue());
        Method activate = UdpMessageTransport.class.getDeclaredMethod("activate", configType);
        activate.setAccessible(true);
        activate.invoke(component, config);
        return component;
    }

    static void deactivate(UdpMessageTransport component) throws Exception {
        Method deactivate = UdpMessageTransport.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(component);
    }

    static void bindKeeper(UdpMessageTransport component, MessageKeeper keeper) throws Exception {
        Method bind = UdpMessageTransport.class.getDeclaredMethod("bindKeeper", MessageKeeper.class);
        bind.setAccessible(true);
        bind.invoke(component, keeper);
    }

    /** The whiteboard list SCR fills. */
    @SuppressWarnings("unchecked")
    static List<MessageListener> listenersOf(UdpMessageTransport component) throws Exception {
        Field listeners = UdpMessageTransport.class.getDeclaredField("listeners");
        listeners.setAccessible(true);
        return (List<MessageListener>) listeners.get(component);
    }

    /** An OSGi Logger that keeps the format strings it is given. */
    static Logger logger(List<String> into) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> "test";
                    case "toString" -> "test logger";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> {
                        if (method.getName().startsWith("is")) {
                            yield Boolean.TRUE;
                        }
                        if (args != null && args.length > 0 && args[0] instanceof String format) {
                            into.add(method.getName() + " " + format);
                        }
                        yield null;
                    }
                });
    }
}
