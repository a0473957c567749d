package dev.loxiharness.harness.evidence;

import dev.loxiharness.harness.backend.NetnsTopology;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.netns.Commands;
import dev.loxiharness.netns.ExecResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Everything needed to understand a running topology after the fact, written into one folder: what
 * each loxilb and BIRD believed (sessions, RIBs), every node's addresses, routes and nftables, the
 * Kubernetes objects and the daemons' logs and configs. Like MetalLB's e2e dump it carries on past
 * every single failure, so one broken probe never hides the others; a probe that failed leaves a
 * {@code .txt} saying how. Used by the JUnit extension on failed tests and usable by the CLI.
 */
public final class Evidence {
    /** One file of the folder: its section (a node, kubernetes, logs), a title and how to show it. */
    public record Item(String section, String title, Path file, String mimeType, boolean ok) {
    }

    /** The collected folder and its items, in a stable order (nodes as in the topology file). */
    public record Report(Path dir, List<Item> items, Duration took) {
        public long failed() {
            return items.stream().filter(i -> !i.ok()).count();
        }
    }

    /** What {@link Evidence} needs of a running topology, whatever the backend. */
    public interface Target {
        Topology topology();

        /** Runs {@code cmd} inside {@code node}, bounded by {@code timeout}. */
        ExecResult exec(String node, Duration timeout, List<String> cmd);

        /** Runs kubectl against the topology's API server, bounded by {@code timeout}. */
        ExecResult kubectl(Duration timeout, List<String> args);

        /** The folder holding the daemons' logs and configs, and BIRD's control sockets. */
        Path stateDir();

        /** The repository root, for {@code bin/loxicmd}. */
        Path home();
    }

    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> KUBE_RESOURCES = List.of("services", "pods", "nodes", "endpointslices");
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";
    private static final String YAML = "text/yaml";

    private final Target target;

    public Evidence(Target target) {
        this.target = target;
    }

    public static Evidence of(NetnsTopology topo, Path home) {
        return new Evidence(new Target() {
            @Override
            public Topology topology() {
                return topo.topology();
            }

            @Override
            public ExecResult exec(String node, Duration timeout, List<String> cmd) {
                return topo.node(node).exec(timeout, null, cmd.toArray(String[]::new));
            }

            @Override
            public ExecResult kubectl(Duration timeout, List<String> args) {
                return Commands.run(topo.kubectl().argv(args), null, timeout);
            }

            @Override
            public Path stateDir() {
                return topo.state().dir();
            }

            @Override
            public Path home() {
                return home;
            }
        });
    }

    /** Collects everything into {@code dir} (created); never throws for a single failed probe. */
    public Report collect(Path dir) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(dir);
        List<Supplier<Item>> probes = probes(dir);
        List<Item> items = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "evidence");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Item>> futures = probes.stream().map(p -> pool.submit(p::get)).toList();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    items.add(futures.get(i).get(PROBE_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS));
                } catch (Exception e) {
                    items.add(note(dir, "evidence", "probe " + i + " did not finish", e.toString()));
                }
            }
        } catch (RuntimeException e) {
            items.add(note(dir, "evidence", "collection stopped", e.toString()));
        } finally {
            pool.shutdownNow();
        }
        items.addAll(copyStateFiles(dir));
        Report report = new Report(dir, items, Duration.ofNanos(System.nanoTime() - start));
        writeIndex(report);
        return report;
    }

    private List<Supplier<Item>> probes(Path dir) {
        List<Supplier<Item>> probes = new ArrayList<>();
        Topology t = target.topology();
        for (Map.Entry<String, Topology.Node> e : t.nodes().entrySet()) {
            String node = e.getKey();
            String section = "node " + node;
            Path nd = dir.resolve("nodes").resolve(node);
            if (e.getValue().has("loxilb")) {
                if (runsGobgp(e.getValue())) {
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-neigh.txt"), TEXT, "gobgp", "neighbor"));
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-neigh.json"), JSON, "gobgp", "neighbor", "-j"));
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-global-rib.txt"), TEXT, "gobgp", "global", "rib", "-a", "ipv4"));
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-global-rib.json"), JSON, "gobgp", "global", "rib", "-a", "ipv4", "-j"));
                }
                String loxicmd = target.home().resolve("bin/loxicmd").toString();
                probes.add(() -> titled(section, node, nd.resolve("loxicmd-get-lb.txt"), TEXT, "loxicmd get lb -o wide",
                        loxicmd, "get", "lb", "-o", "wide"));
            }
            Path birdSocket = target.stateDir().resolve(node + ".bird.ctl");
            if (Files.exists(birdSocket)) {
                String sock = birdSocket.toString();
                for (String what : List.of("protocols all", "route", "route all")) {
                    List<String> cmd = new ArrayList<>(List.of("birdc", "-s", sock, "show"));
                    cmd.addAll(List.of(what.split(" ")));
                    probes.add(() -> titled(section, node, nd.resolve("birdc-show-" + what.replace(' ', '-') + ".txt"), TEXT,
                            "birdc show " + what, cmd.toArray(String[]::new)));
                }
            }
            probes.add(() -> exec(section, node, nd.resolve("ip-addr.json"), JSON, "ip", "-j", "addr"));
            probes.add(() -> exec(section, node, nd.resolve("ip-route.json"), JSON, "ip", "-j", "route"));
            probes.add(() -> exec(section, node, nd.resolve("nft-ruleset.txt"), TEXT, "nft", "list", "ruleset"));
        }
        if (t.kubernetes() != null) {
            Path kd = dir.resolve("kubernetes");
            for (String r : KUBE_RESOURCES) {
                probes.add(() -> kubectl(kd.resolve("kubectl-get-" + r + ".yaml"), "get", r, "-A", "-o", "yaml"));
            }
        }
        return probes;
    }

    /** gobgpd runs beside the Java loxilb only in BGP mode ({@code -b}). */
    private static boolean runsGobgp(Topology.Node node) {
        return node.loxilb() != null && (node.loxilb().gobgpConfig() != null
                || node.loxilb().args().stream().anyMatch(a -> a.equals("-b") || a.startsWith("--bgp")));
    }

    private Item exec(String section, String node, Path file, String mime, String... cmd) {
        return titled(section, node, file, mime, String.join(" ", cmd), cmd);
    }

    /** {@code title}: the command as a person would type it (without socket paths and the like). */
    private Item titled(String section, String node, Path file, String mime, String title, String... cmd) {
        return record(section, file, mime, title, () -> target.exec(node, PROBE_TIMEOUT, List.of(cmd)));
    }

    private Item kubectl(Path file, String... args) {
        return record("kubernetes", file, YAML, "kubectl " + String.join(" ", args),
                () -> target.kubectl(PROBE_TIMEOUT, List.of(args)));
    }

    /** Runs one probe; its stdout goes to {@code file}, or a {@code .txt} says why it failed. */
    private static Item record(String section, Path file, String mime, String title, Supplier<ExecResult> probe) {
        try {
            Files.createDirectories(file.getParent());
            ExecResult r = probe.get();
            if (r.ok()) {
                Files.writeString(file, r.stdout());
                return new Item(section, title, file, mime, true);
            }
            Path failed = file.resolveSibling(file.getFileName() + ".failed.txt");
            Files.writeString(failed, "$ " + String.join(" ", r.argv()) + "\nexit " + r.exitCode() + "\n--- stderr\n" + r.stderr()
                    + "\n--- stdout\n" + r.stdout());
            return new Item(section, title + " (exit " + r.exitCode() + ")", failed, TEXT, false);
        } catch (Exception e) {
            return note(file.getParent(), section, title + " (" + e.getClass().getSimpleName() + ")", e.toString());
        }
    }

    /** Logs ({@code *.log}, {@code *.err}) and configs ({@code *.conf}, {@code *.yaml}, lbconfig) of the state folder. */
    private List<Item> copyStateFiles(Path dir) {
        List<Item> out = new ArrayList<>();
        Path state = target.stateDir();
        if (state == null || !Files.isDirectory(state)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(state, 2)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = state.relativize(f).toString();
                String section = name.endsWith(".log") || name.endsWith(".err") ? "logs"
                        : name.endsWith(".conf") || name.endsWith(".yaml") || name.endsWith("lbconfig.txt") ? "configs" : null;
                if (section == null || name.startsWith("kubeconfig")) {
                    continue;
                }
                Path to = dir.resolve(section).resolve(name.replace('/', '_'));
                try {
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                    out.add(new Item(section, name, to, name.endsWith(".yaml") ? YAML : TEXT, true));
                } catch (IOException e) {
                    out.add(note(dir.resolve(section), section, name + " (not copied)", e.toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            out.add(note(dir, "logs", "state folder " + state + " (not listed)", e.toString()));
        }
        return out;
    }

    private static Item note(Path dir, String section, String title, String text) {
        Path f = dir.resolve(title.replaceAll("[^A-Za-z0-9._-]+", "_") + ".txt");
        try {
            Files.createDirectories(dir);
            Files.writeString(f, text + "\n");
        } catch (IOException ignored) {
            // nothing more to say: the item is marked failed either way
        }
        return new Item(section, title, f, TEXT, false);
    }

    private static void writeIndex(Report report) {
        StringBuilder s = new StringBuilder();
        s.append("evidence collected in ").append(report.took().toMillis()).append(" ms, ")
                .append(report.items().size()).append(" items, ").append(report.failed()).append(" failed\n");
        for (Item i : report.items()) {
            s.append(i.ok() ? "ok    " : "FAIL  ").append(String.format("%-14s", i.section())).append(' ')
                    .append(report.dir().relativize(i.file())).append("   ").append(i.title()).append('\n');
        }
        try {
            Files.writeString(report.dir().resolve("index.txt"), s.toString(), StandardCharsets.UTF_8);
        } catch (IOException ignored) {
            // the folder itself is the evidence; the index is a convenience
        }
    }
}
