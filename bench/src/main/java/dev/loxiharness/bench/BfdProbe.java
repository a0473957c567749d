package dev.loxiharness.bench;

import dev.loxiharness.netns.Lab;
import dev.loxiharness.netns.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How long a BGP session takes to notice a peer that went silent (its link still up, its packets
 * dropped), with and without BFD. Only BIRD can answer this here: Debian 12's GoBGP 3.10, which
 * loxilb runs, has no BFD (GoBGP gained it in 4.6), so two BIRDs peer over a veth of their own in
 * namespaces of their own, and an nft table in the second drops everything.
 */
final class BfdProbe implements AutoCloseable {
    static final int BFD_INTERVAL_MS = 100;
    static final int BFD_MULTIPLIER = 3;

    private final Lab lab = Lab.create("lxbfd");
    private final Path dir;

    BfdProbe() throws IOException {
        dir = Files.createTempDirectory("bfd-bench");
    }

    /** Seconds from the moment the peer falls silent to the moment the session leaves Established. */
    double sessionDownSeconds(boolean bfd) throws IOException, InterruptedException {
        String tag = bfd ? "b" : "h";
        Netns a = lab.namespace(tag + "a");
        Netns b = lab.namespace(tag + "b");
        lab.veth(a, "eth0", b, "eth0");
        a.addr("eth0", "10.9.0.1/30");
        b.addr("eth0", "10.9.0.2/30");
        Path sockA = bird(a, tag + "a", "10.9.0.1", 65001, "10.9.0.2", 65002, bfd);
        bird(b, tag + "b", "10.9.0.2", 65002, "10.9.0.1", 65001, bfd);
        if (!await(() -> established(a, sockA), Duration.ofSeconds(30))) {
            throw new IllegalStateException("the two BIRDs never reached Established: " + state(a, sockA));
        }
        if (bfd && !await(() -> a.exec("birdc", "-s", sockA.toString(), "show", "bfd", "sessions").stdout().contains(" Up "),
                Duration.ofSeconds(10))) {
            throw new IllegalStateException("BFD session never came up: "
                    + a.exec("birdc", "-s", sockA.toString(), "show", "bfd", "sessions").stdout());
        }
        b.exec(Duration.ofSeconds(5), "table inet silence {\n"
                + "  chain in { type filter hook prerouting priority raw; policy drop; }\n"
                + "  chain out { type filter hook output priority raw; policy drop; }\n}\n", "nft", "-f", "-");
        long silent = System.nanoTime();
        if (!await(() -> !established(a, sockA), Duration.ofSeconds(60))) {
            throw new IllegalStateException("the session stayed Established for 60 s after its peer fell silent");
        }
        return (System.nanoTime() - silent) / 1e9;
    }

    private Path bird(Netns ns, String name, String self, int as, String peer, int peerAs, boolean bfd) throws IOException {
        Path conf = dir.resolve(name + ".conf");
        Path sock = dir.resolve(name + ".ctl");
        Files.writeString(conf, "router id " + self + ";\nprotocol device {}\n"
                + (bfd ? "protocol bfd { interface \"eth0\" { min rx interval " + BFD_INTERVAL_MS + " ms; min tx interval "
                        + BFD_INTERVAL_MS + " ms; multiplier " + BFD_MULTIPLIER + "; }; }\n" : "")
                + "protocol bgp peer {\n  local " + self + " as " + as + ";\n  neighbor " + peer + " as " + peerAs + ";\n"
                + "  hold time " + (int) FaultsBench.HOLD_SECONDS + ";\n  keepalive time 3;\n  connect retry time 1;\n"
                + (bfd ? "  bfd on;\n" : "") + "  ipv4 { import all; export none; };\n}\n");
        lab.spawn(ns, dir.resolve(name + ".log"), List.of("bird", "-f", "-c", conf.toString(), "-s", sock.toString()));
        return sock;
    }

    private static String state(Netns ns, Path sock) {
        return ns.exec("birdc", "-s", sock.toString(), "show", "protocols", "peer").stdout();
    }

    private static boolean established(Netns ns, Path sock) {
        return state(ns, sock).contains("Established");
    }

    /** Asked every 20 ms: a BFD detection takes a few hundred. */
    private static boolean await(java.util.function.BooleanSupplier condition, Duration budget) throws InterruptedException {
        return FaultsBench.await(condition, budget, 20);
    }

    @Override
    public void close() throws IOException {
        lab.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }
}
