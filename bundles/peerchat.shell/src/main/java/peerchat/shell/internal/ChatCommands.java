package peerchat.shell.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import peerchat.api.chat.ChatService;
import peerchat.api.dto.ChatMessage;
import peerchat.api.dto.Contact;
import peerchat.api.dto.DeliveryResult;
import peerchat.api.dto.DeliveryStatus;
import peerchat.api.dto.PeerAddress;
import peerchat.api.dto.RosterEntry;
import peerchat.api.dto.ServerInfo;
import peerchat.api.dto.TransportStats;
import peerchat.api.roster.RosterClient;
import peerchat.api.server.RosterServer;
import peerchat.api.transport.MessageTransport;

/**
 * The {@code chat:*} Gogo commands. Every command returns its output, one item per line; a failure is
 * a single line starting with {@code error: } (the Gogo console would print a thrown exception as
 * {@code java.lang.IllegalArgumentException: ...}). All services are optional, so the shell stays usable
 * and says which bundle is missing.
 */
@Component(service = ChatCommands.class, property = {
        "osgi.command.scope=chat",
        "osgi.command.function=login",
        "osgi.command.function=logout",
        "osgi.command.function=roster",
        "osgi.command.function=send",
        "osgi.command.function=history",
        "osgi.command.function=search",
        "osgi.command.function=contacts",
        "osgi.command.function=export",
        "osgi.command.function=server",
        "osgi.command.function=whoami",
        "osgi.command.function=stats" })
public class ChatCommands {

    static final String ROSTER_MISSING = "roster client bundle is not running";
    static final String CHAT_MISSING = "chat bundle is not running";
    static final String SERVER_MISSING = "roster server bundle is not running";
    static final String TRANSPORT_MISSING = "transport bundle is not running";
    static final String NOT_LOGGED_IN = "not logged in";
    static final int DEFAULT_SERVER_PORT = 5555;
    static final int DEFAULT_HISTORY = 20;
    static final int SEARCH_LIMIT = 100;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RosterClient roster;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ChatService chat;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MessageTransport transport;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RosterServer server;

    /** Package-private so tests can shorten the waits and fix the time zone. */
    Duration rosterTimeout = Duration.ofSeconds(10);
    Duration sendTimeout = Duration.ofSeconds(60);
    ZoneId zone = ZoneId.systemDefault();
    Clock clock = Clock.systemUTC();

    @Descriptor("log in to the configured roster server")
    public String login(@Descriptor("user name, unique on the server") String name) {
        return login(name, null);
    }

    @Descriptor("log in to a roster server")
    public String login(@Descriptor("user name, unique on the server") String name,
            @Descriptor("roster server as HOST:PORT") String server) {
        RosterClient roster = this.roster;
        if (roster == null) {
            return Lines.error(ROSTER_MISSING);
        }
        if (name == null || name.isBlank()) {
            return Lines.error("name must not be empty");
        }
        PeerAddress address;
        try {
            address = server == null ? null : HostPort.parseEndpoint(server);
        } catch (IllegalArgumentException e) {
            return Lines.error(e.getMessage());
        }
        List<RosterEntry> snapshot;
        try {
            snapshot = await(roster.login(name.trim(), address), rosterTimeout);
        } catch (ExecutionException e) {
            return Lines.error(reason(e));
        } catch (TimeoutException e) {
            // an error must mean "not logged in", so drop the attempt rather than let it finish later
            roster.logout();
            return Lines.error("no answer from the roster server within " + describe(rosterTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lines.error("interrupted");
        }
        PeerAddress at = address != null ? address : roster.serverAddress();
        return "logged in as " + roster.userName().orElse(name.trim()) + " at " + at + " (" + snapshot.size()
                + " online)";
    }

    @Descriptor("log out from the roster server")
    public String logout() {
        RosterClient roster = this.roster;
        if (roster == null) {
            return Lines.error(ROSTER_MISSING);
        }
        Optional<String> name = roster.userName();
        if (name.isEmpty()) {
            return NOT_LOGGED_IN;
        }
        try {
            await(roster.logout(), rosterTimeout);
        } catch (ExecutionException e) {
            return Lines.error(reason(e));
        } catch (TimeoutException e) {
            return Lines.error("logout not confirmed within " + describe(rosterTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Lines.error("interrupted");
        }
        return "logged out " + name.get();
    }

    @Descriptor("list the online users: NAME HOST:PORT PRESENCE")
    public String roster() {
        RosterClient roster = this.roster;
        if (roster == null) {
            return Lines.error(ROSTER_MISSING);
        }
        if (roster.userName().isEmpty()) {
            return Lines.error(NOT_LOGGED_IN);
        }
        return String.join("\n", roster.roster().stream()
                .sorted(Comparator.comparing(RosterEntry::name, String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(RosterEntry::name))
                .map(Lines::rosterLine)
                .toList());
    }

    @Descriptor("send a message and wait for the outcome per recipient")
    public String send(@Descriptor("recipient name, or names separated by commas") String to,
            @Descriptor("the message, words joined by single spaces") String... words) {
        ChatService chat = this.chat;
        RosterClient roster = this.roster;
        if (chat == null) {
            return Lines.error(CHAT_MISSING);
        }
        List<String> names;
        try {
            names = RecipientList.parse(String.valueOf(to));
        } catch (IllegalArgumentException e) {
            return Lines.error(e.getMessage());
        }
        if (words == null || words.length == 0) {
            return Lines.error("nothing to send: chat:send TO TEXT...");
        }
        // logged out (or the roster client is away): contacts get the message queued, nobody else
        boolean loggedIn = roster != null && roster.userName().isPresent();
        List<String> recipients = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<Contact> contacts = null;
        for (String name : names) {
            Optional<RosterEntry> online = loggedIn ? roster.find(name) : Optional.empty();
            if (online.isPresent()) {
                recipients.add(online.get().name());
                continue;
            }
            if (contacts == null) {
                contacts = chat.contacts(); // someone offline you know gets the message queued
            }
            contacts.stream().filter(contact -> contact.name().equalsIgnoreCase(name)).findFirst()
                    .ifPresentOrElse(contact -> recipients.add(contact.name()), () -> unknown.add(name));
        }
        if (!unknown.isEmpty() && !loggedIn) {
            return Lines.error(roster == null ? ROSTER_MISSING : NOT_LOGGED_IN);
        }
        if (!unknown.isEmpty()) {
            return Lines.error((unknown.size() == 1 ? "unknown user: " : "unknown users: ") + String.join(", ", unknown));
        }
        // Gogo hands a bare "null" over as null; it was typed as text
        String text = String.join(" ", Arrays.stream(words).map(String::valueOf).toList());
        List<CompletableFuture<DeliveryResult>> outcomes = new ArrayList<>();
        for (String recipient : recipients) {
            outcomes.add(startSend(chat, recipient, text));
        }
        return String.join("\n", awaitOutcomes(recipients, outcomes));
    }

    @Descriptor("show the last 20 messages with a user, oldest first")
    public String history(@Descriptor("user name") String name) {
        return history(name, Integer.toString(DEFAULT_HISTORY));
    }

    @Descriptor("show the last N messages with a user, oldest first")
    public String history(@Descriptor("user name") String name, @Descriptor("how many messages") String count) {
        ChatService chat = this.chat;
        if (chat == null) {
            return Lines.error(CHAT_MISSING);
        }
        int limit;
        try {
            limit = Integer.parseInt(String.valueOf(count).trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1) {
            return Lines.error("N must be a whole number of at least 1, got: " + count);
        }
        List<ChatMessage> messages;
        try {
            messages = chat.history(String.valueOf(name), limit);
        } catch (IllegalArgumentException e) {
            return Lines.error(e.getMessage());
        }
        if (messages.isEmpty()) {
            return "no messages with " + name;
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        return String.join("\n", messages.stream().map(message -> Lines.historyLine(message, zone, today)).toList());
    }

    @Descriptor("find messages containing a text (ignoring case), newest first, in the format of chat:history")
    public String search(@Descriptor("text to look for") String text) {
        return search(text, null);
    }

    @Descriptor("find messages with one user containing a text (ignoring case), newest first")
    public String search(@Descriptor("text to look for") String text, @Descriptor("user name") String name) {
        ChatService chat = this.chat;
        if (chat == null) {
            return Lines.error(CHAT_MISSING);
        }
        List<ChatMessage> found;
        try {
            found = chat.search(text == null ? "" : text, name, SEARCH_LIMIT);
        } catch (IllegalArgumentException e) {
            return Lines.error(e.getMessage());
        }
        if (found.isEmpty()) {
            return "no messages contain \"" + text + "\"" + (name == null ? "" : " with " + name);
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        return String.join("\n", found.stream().map(message -> Lines.historyLine(message, zone, today)).toList());
    }

    @Descriptor("list everyone you have chatted with or seen online: NAME online|away|busy|offline [last seen]")
    public String contacts() {
        ChatService chat = this.chat;
        if (chat == null) {
            return Lines.error(CHAT_MISSING);
        }
        List<Contact> contacts = chat.contacts();
        if (contacts.isEmpty()) {
            return "no contacts yet";
        }
        return String.join("\n", contacts.stream().map(Lines::contactLine).toList());
    }

    @Descriptor("write a whole conversation to a file, one JSON object per line, oldest first")
    public String export(@Descriptor("user name") String name, @Descriptor("file to write") String file) {
        ChatService chat = this.chat;
        if (chat == null) {
            return Lines.error(CHAT_MISSING);
        }
        if (name == null || name.isBlank() || file == null || file.isBlank()) {
            return Lines.error("usage: chat:export NAME FILE");
        }
        try {
            long count = ConversationExport.write(chat, name.trim(), java.nio.file.Path.of(file));
            return "exported " + count + " messages with " + name.trim() + " to " + file;
        } catch (IOException e) {
            return Lines.error("cannot write " + file + ": " + (e.getMessage() != null ? e.getMessage() : e));
        } catch (IllegalArgumentException e) {
            return Lines.error(e.getMessage());
        }
    }

    @Descriptor("show the embedded roster server: running HOST:PORT or stopped, clients N, client names")
    public String server() {
        return server("info");
    }

    @Descriptor("control the embedded roster server: start [[HOST:]PORT], stop, info")
    public String server(@Descriptor("start, stop or info") String action,
            @Descriptor("for start: [HOST:]PORT, default port 5555 on all interfaces") String... args) {
        RosterServer server = this.server;
        if (server == null) {
            return Lines.error(SERVER_MISSING);
        }
        int extra = args == null ? 0 : args.length;
        switch (String.valueOf(action)) {
            case "start":
                if (extra > 1) {
                    return Lines.error("too many arguments: chat:server start [[HOST:]PORT]");
                }
                return startServer(server, extra == 0 ? null : String.valueOf(args[0]));
            case "stop":
                if (extra > 0) {
                    return Lines.error("too many arguments: chat:server stop");
                }
                server.stop();
                return "stopped";
            case "info":
                if (extra > 0) {
                    return Lines.error("too many arguments: chat:server info");
                }
                return String.join("\n", Lines.serverLines(server.info()));
            default:
                return Lines.error("unknown action: " + action + " (start, stop or info)");
        }
    }

    @Descriptor("show who you are, the roster connection, the UDP endpoint and the embedded server")
    public String whoami() {
        List<String> lines = new ArrayList<>();
        RosterClient roster = this.roster;
        if (roster == null) {
            lines.add(ROSTER_MISSING);
        } else {
            lines.add("user " + roster.userName().orElse("- (not logged in)"));
            lines.add("roster " + roster.state().name().toLowerCase(Locale.ROOT) + " "
                    + roster.serverAddress());
        }
        MessageTransport transport = this.transport;
        lines.add(transport == null ? TRANSPORT_MISSING : "udp " + transport.localAddress());
        RosterServer server = this.server;
        if (server == null) {
            lines.add(SERVER_MISSING);
        } else {
            ServerInfo info = server.info();
            lines.add("server " + Lines.serverLines(info).get(0));
        }
        return String.join("\n", lines);
    }

    @Descriptor("show the transport's counters: totals, then one line per peer session "
            + "(sent, delivered, failed, received, retransmitted, duplicates, srtt/rttvar, in flight, window); "
            + "plain datagrams to and from original clients")
    public String stats() {
        MessageTransport transport = this.transport;
        if (transport == null) {
            return Lines.error(TRANSPORT_MISSING);
        }
        TransportStats stats = transport.stats();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "total sent %d, delivered %d, failed %d, received %d, packets %d, "
                + "retransmitted %d, duplicates dropped %d, malformed dropped %d, in flight %d",
                stats.messagesSent(), stats.messagesDelivered(), stats.messagesFailed(), stats.messagesReceived(),
                stats.packetsSent(), stats.packetsRetransmitted(), stats.duplicatesDropped(),
                stats.malformedDropped(), stats.inFlight()));
        lines.add(String.format(Locale.ROOT, "plain (original clients) sent %d, received %d, dropped %d",
                stats.plainSent(), stats.plainReceived(), stats.plainDropped()));
        lines.add(String.format(Locale.ROOT, "keeping: awaiting %d, failed attempts %d; strangers dropped %d",
                stats.awaitingKeep(), stats.keepFailures(), stats.strangerDropped()));
        if (stats.peers().isEmpty()) {
            lines.add("no peer sessions");
            return String.join("\n", lines);
        }
        String format = "%-22s %-9s %7s %7s %6s %8s %7s %6s %9s %9s %8s %6s %6s";
        lines.add(String.format(Locale.ROOT, format, "PEER", "STATE", "SENT", "DELIV", "FAIL", "RECV", "RETX",
                "DUPS", "SRTT ms", "RTTVAR ms", "INFLIGHT", "CWND", "QUEUED"));
        for (TransportStats.PeerStats peer : stats.peers()) {
            lines.add(String.format(Locale.ROOT, format, peer.peer(), peer.state(), peer.messagesSent(),
                    peer.messagesDelivered(), peer.messagesFailed(), peer.messagesReceived(),
                    peer.packetsRetransmitted(), peer.duplicatesDropped(), millis(peer.srttMillis()),
                    millis(peer.rttvarMillis()), peer.inFlight(), peer.congestionWindow(), peer.queued()));
        }
        return String.join("\n", lines);
    }

    private static String millis(double value) {
        return value < 0 ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    private String startServer(RosterServer server, String where) {
        HostPort.Listen listen;
        try {
            listen = where == null ? new HostPort.Listen(null, DEFAULT_SERVER_PORT) : HostPort.parseListen(where);
        } catch (IllegalArgumentException e) {
            return Lines.error(e.getMessage());
        }
        try {
            return String.join("\n", Lines.serverLines(server.start(listen.host(), listen.port())));
        } catch (IOException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // the server's message may already say it; don't say it twice
            return Lines.error(message.startsWith("cannot listen on") ? message
                    : "cannot listen on " + listen + ": " + message);
        }
    }

    /** A refusal by the chat service (user left since the check) becomes that recipient's outcome. */
    private static CompletableFuture<DeliveryResult> startSend(ChatService chat, String name, String text) {
        try {
            return chat.send(name, text).toCompletableFuture();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return CompletableFuture.completedFuture(new DeliveryResult(DeliveryStatus.FAILED, e.getMessage()));
        }
    }

    /** One line per recipient in order; all share one deadline so the command ends in bounded time. */
    private List<String> awaitOutcomes(List<String> recipients, List<CompletableFuture<DeliveryResult>> outcomes) {
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            String name = recipients.get(i);
            long left = Math.max(0, deadline - System.nanoTime());
            try {
                lines.add(Lines.outcomeLine(name, outcomes.get(i).get(left, TimeUnit.NANOSECONDS)));
            } catch (ExecutionException e) {
                lines.add("undelivered " + name + ": " + reason(e));
            } catch (TimeoutException e) {
                lines.add("undelivered " + name + ": no outcome within " + describe(sendTimeout));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lines.add("undelivered " + name + ": interrupted while waiting");
            }
        }
        return lines;
    }

    private static <T> T await(CompletionStage<T> stage, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
