package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.NodeContext;
import java.nio.file.Path;
import java.util.List;

/** BIRD 2 in a node: a config in the state folder, the daemon in the foreground, its control socket. */
public final class Bird {
    /**
     * BGP timers for every BIRD session of a topology: the first connect after 1 s, retries every
     * second, and a short wait after an error, so sessions converge in about a second.
     */
    public static final String FAST_TIMERS = "connect delay time 1; connect retry time 1; error wait time 1, 5;";

    private Bird() {
    }

    /** BIRD protocol names carry the peer address, so a check finds a session by its peer. */
    public static String protocolName(String kind, String peerAddress) {
        return kind + "_" + peerAddress.replace('.', '_');
    }

    public static Path socket(NodeContext ctx) {
        return ctx.state().file(ctx.name() + ".bird.ctl");
    }

    public static void start(NodeContext ctx, String config) {
        Path conf = ctx.write(ctx.name() + ".bird.conf", config);
        ctx.daemon("bird", List.of("bird", "-f", "-c", conf.toString(), "-s", socket(ctx).toString()));
    }

    /** Rewrites the config and makes BIRD load it ({@code birdc configure}). */
    public static void reconfigure(NodeContext ctx, String config) {
        ctx.write(ctx.name() + ".bird.conf", config);
        ctx.ns().exec("birdc", "-s", socket(ctx).toString(), "configure").orThrow();
    }
}
