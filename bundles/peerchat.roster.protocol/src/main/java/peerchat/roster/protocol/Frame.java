package peerchat.roster.protocol;

import java.util.List;
import java.util.Objects;

/**
 * One message of the roster protocol. Each kind is a record; {@link FrameEncoder} and
 * {@link FrameDecoder} turn them into bytes and back (layout in docs/PROTOCOL.md).
 */
public sealed interface Frame {

    FrameType type();

    /**
     * Client → server, first frame of a connection: who I am, where my UDP transport listens and
     * (version 2) the presence to start with, so a reconnecting client keeps its state.
     */
    record Hello(int version, String name, int udpPort, WirePresence presence, String status) implements Frame {
        public Hello {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(presence, "presence");
            Objects.requireNonNull(status, "status");
            checkPort(udpPort);
        }

        /** A HELLO without presence (version 1 has none): online, no status text. */
        public Hello(int version, String name, int udpPort) {
            this(version, name, udpPort, WirePresence.ONLINE, "");
        }

        /** A HELLO of the version this codec speaks, online and without status text. */
        public Hello(String name, int udpPort) {
            this(Protocol.VERSION, name, udpPort);
        }

        @Override
        public FrameType type() {
            return FrameType.HELLO;
        }
    }

    /** Client → server (version 2): the user's new presence and status text. */
    record SetPresence(WirePresence presence, String status) implements Frame {
        public SetPresence {
            Objects.requireNonNull(presence, "presence");
            Objects.requireNonNull(status, "status");
        }

        @Override
        public FrameType type() {
            return FrameType.SET_PRESENCE;
        }
    }

    /**
     * Server → client: the whole roster, sorted by name. A roster too big for one frame comes as
     * several SNAPSHOT frames; all but the last have {@code more} set.
     */
    record Snapshot(List<WireEntry> entries, boolean more) implements Frame {
        public Snapshot {
            entries = List.copyOf(entries);
            if (entries.size() > 0xFFFF) {
                throw new IllegalArgumentException("too many entries for one frame: " + entries.size());
            }
        }

        /** A complete roster in one frame. */
        public Snapshot(List<WireEntry> entries) {
            this(entries, false);
        }

        @Override
        public FrameType type() {
            return FrameType.SNAPSHOT;
        }
    }

    /** Server → client: a user logged in. */
    record Joined(WireEntry entry) implements Frame {
        public Joined {
            Objects.requireNonNull(entry, "entry");
        }

        @Override
        public FrameType type() {
            return FrameType.JOINED;
        }
    }

    /** Server → client: a user logged out or their connection ended. */
    record Left(String name) implements Frame {
        public Left {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public FrameType type() {
            return FrameType.LEFT;
        }
    }

    /** Server → client: a user's presence or status text changed (the entry is the new state). */
    record PresenceChanged(WireEntry entry) implements Frame {
        public PresenceChanged {
            Objects.requireNonNull(entry, "entry");
        }

        @Override
        public FrameType type() {
            return FrameType.PRESENCE_CHANGED;
        }
    }

    /** Either direction: why the sender is about to close the connection. */
    record Error(ErrorCode code, String message) implements Frame {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public FrameType type() {
            return FrameType.ERROR;
        }
    }

    /** Either direction: a normal goodbye (client logout, server shutdown); the sender then closes. */
    record Bye() implements Frame {
        @Override
        public FrameType type() {
            return FrameType.BYE;
        }
    }

    /** Either direction: are you still there? Answered by a PONG with the same token. */
    record Ping(long token) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.PING;
        }
    }

    /** The answer to a PING, carrying its token. */
    record Pong(long token) implements Frame {
        @Override
        public FrameType type() {
            return FrameType.PONG;
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
