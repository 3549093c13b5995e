package peerchat.ui.workbench.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Where the UDP transport may listen for chat: every interface, loopback only, or one address. */
final class Interfaces {

    static final String ALL = "0.0.0.0";
    static final String LOOPBACK = "127.0.0.1";

    /** One choice of the Connect dialog: what it shows and the transport's {@code host}. */
    record Choice(String label, String host) {
    }

    private Interfaces() {
    }

    /** Not on the UI thread: asks the operating system for the interfaces that are up. */
    static List<Choice> list() {
        List<Choice> choices = new ArrayList<>();
        choices.add(new Choice(Texts.get("bind.all"), ALL));
        choices.add(new Choice(Texts.get("bind.loopback"), LOOPBACK));
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!network.isUp() || network.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        choices.add(new Choice(Texts.get("bind.address", address.getHostAddress(),
                                network.getDisplayName()), address.getHostAddress()));
                    }
                }
            }
        } catch (SocketException e) {
            // the two generic choices still work; the caller logs nothing more useful than this
            choices.add(new Choice(Texts.get("bind.unknown", e.getMessage()), ALL));
        }
        return choices;
    }

    /** The index of the choice with this host, or of "all interfaces". */
    static int indexOf(List<Choice> choices, String host) {
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i).host().equals(host)) {
                return i;
            }
        }
        return 0;
    }
}
