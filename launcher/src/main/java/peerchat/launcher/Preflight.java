package peerchat.launcher;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * Checks before boot that turn a late, buried failure into one clear line: the UDP port and the server
 * port are free (bound briefly, then released), and the roster server answers when we are to log in.
 */
final class Preflight {

    static final int CONNECT_TIMEOUT_MILLIS = 3000;

    private Preflight() {
    }

    static void check(Options options) throws StartupException {
        if (options.udpPort() != 0) {
            checkUdpPortFree(options.udpPort());
        }
        if (options.hostsServer() && options.server().port() != 0) {
            checkTcpPortFree(options.server());
        }
        if (options.logsIn() && !hostsServerAt(options, options.connect())) {
            checkReachable(options.connect(), CONNECT_TIMEOUT_MILLIS);
        }
    }

    static void checkUdpPortFree(int port) throws StartupException {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(port));
        } catch (SocketException e) {
            throw new StartupException("UDP port " + port + " is in use (--udp-port): " + e.getMessage(), e);
        }
    }

    /** With SO_REUSEADDR, as a server binds, so a socket still in TIME_WAIT does not count as in use. */
    static void checkTcpPortFree(HostPort address) throws StartupException {
        InetSocketAddress bindAddress = address.allInterfaces()
                ? new InetSocketAddress(address.port())
                : new InetSocketAddress(address.host(), address.port());
        if (bindAddress.isUnresolved()) {
            throw new StartupException("cannot host the roster server at " + address + ": unknown host " + address.host());
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(bindAddress);
        } catch (IOException e) {
            throw new StartupException("TCP port " + address.port() + " is in use, cannot host the roster server at "
                    + address + " (--server): " + e.getMessage(), e);
        }
    }

    static void checkReachable(HostPort server, int timeoutMillis) throws StartupException {
        InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
        if (address.isUnresolved()) {
            throw new StartupException("roster server " + server + " is not reachable: unknown host " + server.host()
                    + " (--connect)");
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, timeoutMillis);
        } catch (IOException e) {
            throw new StartupException("roster server " + server + " is not reachable: " + e.getMessage() + " (--connect)", e);
        }
    }

    /** Whether {@code target} is the server this process is about to host (then nobody answers yet). */
    static boolean hostsServerAt(Options options, HostPort target) {
        if (!options.hostsServer() || options.server().port() != target.port()) {
            return false;
        }
        try {
            InetAddress targetAddress = InetAddress.getByName(target.host());
            if (options.server().allInterfaces()) {
                return isLocal(targetAddress);
            }
            InetAddress serverAddress = InetAddress.getByName(options.server().host());
            return serverAddress.isAnyLocalAddress() ? isLocal(targetAddress)
                    : serverAddress.equals(targetAddress)
                            || serverAddress.isLoopbackAddress() && targetAddress.isLoopbackAddress();
        } catch (UnknownHostException | SocketException unknown) {
            return false;
        }
    }

    private static boolean isLocal(InetAddress address) throws SocketException {
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
    }
}
