package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.Node;
import java.util.List;

/** BIRD 2 in a node: its config at BIRD's usual path, the daemon in the foreground, its control socket. */
public final class Bird {
    public static final String CONFIG = "/etc/bird/bird.conf";
    /** birdc's default socket, so a plain {@code birdc} works in a container node. */
    public static final String SOCKET = "/run/bird/bird.ctl";
    /**
     * BGP timers for every BIRD session of a topology: the first connect after 1 s, retries every
     * second, and one second after every error (BIRD doubles it up to 5 s by default), so sessions
     * converge in about a second, also after a fault that ended them more than once; a hold time of
     * 9 s (keepalives every 3 s; gobgpd accepts the shorter one), so a peer that goes silent without
     * closing its session (a cut link) is given up within 9 s rather than BIRD's default 240 s.
     */
    public static final String FAST_TIMERS = "connect delay time 1; connect retry time 1; error wait time 1, 1; hold time 9;";

    private Bird() {
    }

    /** BIRD protocol names carry the peer address, so a check finds a session by its peer. */
    public static String protocolName(String kind, String peerAddress) {
        return kind + "_" + peerAddress.replace('.', '_');
    }

    public static void start(Node node, String config) {
        String conf = node.writeFile(CONFIG, config);
        node.daemon("bird", List.of("bird", "-f", "-c", conf, "-s", node.path(SOCKET)));
    }

    /** Rewrites the config and makes BIRD load it ({@code birdc configure}). */
    public static void reconfigure(Node node, String config) {
        node.writeFile(CONFIG, config);
        node.exec("birdc", "-s", node.path(SOCKET), "configure").orThrow();
    }
}
