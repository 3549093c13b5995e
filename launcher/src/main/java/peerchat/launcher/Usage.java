package peerchat.launcher;

/** The {@code --help} text. */
final class Usage {

    private Usage() {
    }

    static String text() {
        return """
                Usage: peerchat [options]
                Starts a Peers Chatting workbench: an OSGi framework with the requested features.

                  (no mode option)        the workbench window (needs a display, e.g. DISPLAY); the Gogo
                                          shell also reads stdin when it is a terminal
                  --headless              Gogo shell on stdin/stdout, no UI; end of input stops the
                                          workbench
                  --daemon                no shell, no UI; runs until SIGTERM
                  --server [HOST:]PORT    also host the roster server (default port %1$d, all interfaces);
                                          adds the server feature
                  --connect HOST:PORT     roster server to use (default %2$s; with --server, that server)
                  --name NAME             log in at start with this name
                  --udp-port PORT         local UDP port for chat (0 = any free port; default 0)
                  --data DIR              data directory (default ~/.peerchat): framework, configuration,
                                          log/peerchat.log; one peerchat per directory
                  --features a,b,c        features to start (default %3$s;
                                          with --headless or --daemon %4$s)
                  --help                  this text

                Exit status: 0 after a normal shutdown, 1 when it cannot start (port in use, roster server
                unreachable, data directory in use), 2 for a bad command line.
                """.formatted(OptionParser.DEFAULT_SERVER_PORT, OptionParser.DEFAULT_CONNECT,
                String.join(",", OptionParser.DEFAULT_FEATURES),
                String.join(",", OptionParser.DEFAULT_HEADLESS_FEATURES));
    }
}
