package dev.loxiharness.harness.evidence;

import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.probe.Birdc;
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

    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> KUBE_RESOURCES = List.of("services", "pods", "nodes", "endpointslices");
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";
    private static final String YAML = "text/yaml";

    private final RunningTopology topo;

    public Evidence(RunningTopology topo) {
        this.topo = topo;
    }

    /** Collects everything into {@code dir} (created); never throws for a single failed probe. */
    public Report collect(Path dir) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(dir);
        try {
            topo.snapshotLogs();
        } catch (RuntimeException e) {
            // the logs already in the state folder are copied anyway
        }
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
        Topology t = topo.topology();
        for (Map.Entry<String, Node> e : topo.nodes().entrySet()) {
            String node = e.getKey();
            Node n = e.getValue();
            String section = "node " + node;
            Path nd = dir.resolve("nodes").resolve(node);
            if (n.spec().has("loxilb")) {
                if (runsGobgp(n.spec())) {
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-neigh.txt"), TEXT, "gobgp", "neighbor"));
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-neigh.json"), JSON, "gobgp", "neighbor", "-j"));
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-global-rib.txt"), TEXT, "gobgp", "global", "rib", "-a", "ipv4"));
                    probes.add(() -> exec(section, node, nd.resolve("gobgp-global-rib.json"), JSON, "gobgp", "global", "rib", "-a", "ipv4", "-j"));
                }
                probes.add(() -> exec(section, node, nd.resolve("loxicmd-get-lb.txt"), TEXT, "loxicmd", "get", "lb", "-o", "wide"));
            }
            if (runsBird(n.spec())) {
                for (String what : List.of("protocols all", "route", "route all")) {
                    List<String> show = new ArrayList<>(List.of("show"));
                    show.addAll(List.of(what.split(" ")));
                    probes.add(() -> titled(section, node, nd.resolve("birdc-show-" + what.replace(' ', '-') + ".txt"), TEXT,
                            "birdc show " + what, Birdc.argv(n, show.toArray(String[]::new)).toArray(String[]::new)));
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

    /** BIRD runs in routers with {@code bgp:} and in Calico nodes. */
    private static boolean runsBird(Topology.Node node) {
        return node.has("calico-node") || (node.has("router") && node.bgp() != null);
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
        return record(section, file, mime, title, () -> topo.node(node).exec(PROBE_TIMEOUT, null, List.of(cmd)));
    }

    private Item kubectl(Path file, String... args) {
        return record("kubernetes", file, YAML, "kubectl " + String.join(" ", args),
                () -> topo.kubectl().run(PROBE_TIMEOUT, List.of(args)));
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

    /**
     * Logs ({@code *.log}, {@code *.err}) and configs ({@code *.conf}, {@code *.yaml}, lbconfig) of the
     * state folder; a node's own files ({@code nodes/<node>/<path in the node>}) keep their path under
     * {@code configs/<node>/}.
     */
    private List<Item> copyStateFiles(Path dir) {
        List<Item> out = new ArrayList<>();
        Path state = topo.state().dir();
        if (!Files.isDirectory(state)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(state)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = state.relativize(f).toString();
                String section = name.endsWith(".log") || name.endsWith(".err") ? "logs"
                        : name.endsWith(".conf") || name.endsWith(".yaml") || name.endsWith("lbconfig.txt") ? "configs" : null;
                if (section == null || name.startsWith("kubeconfig")) {
                    continue;
                }
                Path to = dir.resolve(section).resolve(name.startsWith("nodes/") ? name.substring("nodes/".length())
                        : name.replace('/', '_'));
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
