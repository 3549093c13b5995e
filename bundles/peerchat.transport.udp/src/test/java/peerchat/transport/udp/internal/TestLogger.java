package peerchat.transport.udp.internal;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.osgi.service.log.Logger;

/** Records what the code under test logs, so tests can assert on it without a framework. */
final class TestLogger {

    record Entry(String level, String message, Throwable exception) {
        @Override
        public String toString() {
            return level + " " + message + (exception == null ? "" : " [" + exception + "]");
        }
    }

    final List<Entry> entries = new CopyOnWriteArrayList<>();
    final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                String name = method.getName();
                if (name.startsWith("is")) {
                    return Boolean.TRUE;
                }
                if (name.equals("getName")) {
                    return "test";
                }
                switch (name) {
                    case "toString":
                        return "TestLogger";
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "equals":
                        return proxy == args[0];
                    default:
                        break;
                }
                if (args != null && args.length > 0 && args[0] instanceof String format) {
                    record(name.toUpperCase(), format, flatten(args));
                }
                return null;
            });

    private static Object[] flatten(Object[] args) {
        if (args.length == 2 && args[1] instanceof Object[] varargs) {
            return varargs;
        }
        Object[] rest = new Object[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        return rest;
    }

    private void record(String level, String format, Object[] args) {
        StringBuilder message = new StringBuilder();
        int next = 0;
        int from = 0;
        int at;
        while ((at = format.indexOf("{}", from)) >= 0 && next < args.length) {
            message.append(format, from, at).append(args[next++]);
            from = at + 2;
        }
        message.append(format.substring(from));
        Throwable exception = next < args.length && args[args.length - 1] instanceof Throwable t ? t : null;
        entries.add(new Entry(level, message.toString(), exception));
    }

    List<Entry> at(String level) {
        return entries.stream().filter(e -> e.level().equals(level)).collect(Collectors.toList());
    }

    long count(String level, String fragment) {
        return entries.stream().filter(e -> e.level().equals(level) && e.message().contains(fragment)).count();
    }

    @Override
    public String toString() {
        return entries.stream().map(Entry::toString).collect(Collectors.joining("\n"));
    }
}
