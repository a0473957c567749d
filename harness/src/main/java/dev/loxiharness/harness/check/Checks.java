package dev.loxiharness.harness.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loxiharness.harness.backend.NetnsTopology;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.netns.ExecResult;
import dev.loxiharness.netns.Netns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The topology file's checks: each queries a node (gobgp, birdc, ip, curl, loxicmd, kubectl), parses
 * what it printed and compares it with the expectation, saying what it saw either way.
 */
public final class Checks {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NetnsTopology topo;
    private final Function<Topology.Check, CheckResult> kubernetes;

    public Checks(NetnsTopology topo) {
        this.topo = topo;
        this.kubernetes = topo.topology().kubernetes() == null ? null
                : c -> dev.loxiharness.harness.kube.ServiceCheck.run(topo.kubectl(), c);
    }

    public List<CheckResult> runOnce() {
        return topo.topology().checks().parallelStream().map(this::run).toList();
    }

    /**
     * Repeats each failing check until it passes or {@code budget} runs out, all checks at once
     * (each probe is a process in a node; some, like loxicmd, take a few hundred ms); the last results.
     */
    public List<CheckResult> await(Duration budget) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        List<Topology.Check> checks = topo.topology().checks();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, checks.size()));
        try {
            List<java.util.concurrent.Future<CheckResult>> futures = new ArrayList<>();
            for (Topology.Check c : checks) {
                futures.add(pool.submit(() -> {
                    CheckResult r = run(c);
                    while (!r.passed() && System.nanoTime() < deadline) {
                        sleep(100);
                        r = run(c);
                    }
                    return r.at((System.nanoTime() - start) / 1e9);
                }));
            }
            List<CheckResult> out = new ArrayList<>();
            for (var f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    public CheckResult run(Topology.Check c) {
        try {
            return switch (c.type()) {
                case "bgp-session" -> bgpSession(c);
                case "rib" -> rib(c);
                case "kernel-route" -> kernelRoute(c);
                case "http" -> http(c);
                case "loxicmd-lb" -> loxicmd(c);
                case "command" -> command(c);
                case "service" -> kubernetes != null ? kubernetes.apply(c)
                        : new CheckResult(c.name(), false, "this topology runs no Kubernetes");
                default -> new CheckResult(c.name(), false, "unknown check type " + c.type());
            };
        } catch (RuntimeException e) {
            return new CheckResult(c.name(), false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Netns ns(String node) {
        return topo.node(node);
    }

    private boolean isLoxilb(String node) {
        return topo.topology().nodes().get(node).has("loxilb");
    }

    private CheckResult bgpSession(Topology.Check c) {
        if (isLoxilb(c.node())) {
            ExecResult r = ns(c.node()).exec("gobgp", "neighbor");
            String line = r.stdout().lines().filter(l -> l.trim().startsWith(c.peer() + " ")).findFirst()
                    .orElse("no such peer in `gobgp neighbor`:\n" + r.stdout() + r.stderr());
            return new CheckResult(c.name(), line.contains("Establ"), "gobgp neighbor: " + line.trim());
        }
        String ctl = topo.state().file(c.node() + ".bird.ctl").toString();
        ExecResult r = ns(c.node()).exec("birdc", "-s", ctl, "show", "protocols");
        String suffix = "_" + c.peer().replace('.', '_') + " ";
        var line = r.stdout().lines().filter(l -> l.split(" ")[0].concat(" ").endsWith(suffix)).findFirst();
        return line.map(l -> new CheckResult(c.name(), l.contains("Established"), "birdc show protocols: " + l.trim()))
                .orElse(new CheckResult(c.name(), false, "no BGP protocol for " + c.peer() + " in `birdc show protocols`:\n"
                        + r.stdout() + r.stderr()));
    }

    private CheckResult rib(Topology.Check c) {
        ExecResult r = ns(c.node()).exec("gobgp", "global", "rib", "-a", "ipv4", "-j");
        JsonNode rib = tree(r.stdout(), "{}");
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String prefix : c.prefixes()) {
            JsonNode paths = rib.path(prefix);
            JsonNode best = null;
            for (JsonNode p : paths) {
                if (p.path("best").asBoolean(false) || best == null) {
                    best = p;
                }
            }
            if (best == null) {
                problems.add(prefix + " missing");
                continue;
            }
            String nh = "";
            String asPath = "";
            String origin = "";
            for (JsonNode a : best.path("attrs")) {
                switch (a.path("type").asInt()) {
                    case 1 -> origin = a.path("value").asInt() == 0 ? "i" : a.path("value").asInt() == 1 ? "e" : "?";
                    case 2 -> asPath = asPath(a);
                    case 3 -> nh = a.path("nexthop").asText();
                    case 14 -> nh = a.path("nexthop").asText(nh);
                    default -> { }
                }
            }
            seen.add(prefix + " via " + nh + " as_path " + asPath + " origin " + origin);
            if (c.nextHop() != null && !c.nextHop().equals(nh)) {
                problems.add(prefix + " next hop " + nh + ", expected " + c.nextHop());
            }
            if (c.asPath() != null && !c.asPath().equals(asPath)) {
                problems.add(prefix + " AS path " + asPath + ", expected " + c.asPath());
            }
        }
        return new CheckResult(c.name(), problems.isEmpty(), String.join("\n", seen)
                + (problems.isEmpty() ? "" : "\n" + String.join("\n", problems)));
    }

    private static String asPath(JsonNode attr) {
        List<String> parts = new ArrayList<>();
        for (JsonNode seg : attr.path("as_paths")) {
            List<String> nums = new ArrayList<>();
            seg.path("asns").forEach(n -> nums.add(n.asText()));
            parts.add(seg.path("segment_type").asInt() == 1 ? "{" + String.join(",", nums) + "}" : String.join(" ", nums));
        }
        return String.join(" ", parts);
    }

    private CheckResult kernelRoute(Topology.Check c) {
        ExecResult r = ns(c.node()).exec("ip", "-j", "route", "show", c.prefix());
        JsonNode routes = tree(r.stdout(), "[]");
        String via = null;
        for (JsonNode route : routes) {
            via = route.path("gateway").asText(route.path("dev").asText(""));
        }
        boolean ok = via != null && (c.via() == null || c.via().equals(via));
        return new CheckResult(c.name(), ok, "ip route " + c.prefix() + ": " + (via == null ? "none" : "via " + via));
    }

    private CheckResult http(Topology.Check c) {
        int attempts = c.attempts() == null ? 1 : c.attempts();
        int want = c.status() == null ? 200 : c.status();
        List<String> seen = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < attempts; i++) {
            ExecResult r = ns(c.from()).exec("curl", "-s", "-m", "2", "-w", "\n%{http_code}", c.url());
            String out = r.stdout();
            int cut = out.lastIndexOf('\n');
            String code = cut < 0 ? out : out.substring(cut + 1);
            String body = cut < 0 ? "" : out.substring(0, cut).strip();
            seen.add(code + (body.isEmpty() ? "" : " " + (body.length() > 60 ? body.substring(0, 60) + "..." : body)));
            ok &= code.equals(String.valueOf(want)) && (c.body() == null || body.contains(c.body()));
        }
        return new CheckResult(c.name(), ok, "curl " + c.url() + " from " + c.from() + ": " + String.join(" | ", seen));
    }

    private CheckResult loxicmd(Topology.Check c) {
        ExecResult r = ns(c.node()).exec(topo.context(c.node()).home().resolve("bin/loxicmd").toString(), "get", "lb", "--legacy");
        return new CheckResult(c.name(), r.stdout().lines().anyMatch(l -> l.equals(c.row())),
                "loxicmd get lb:\n" + r.stdout() + r.stderr());
    }

    private CheckResult command(Topology.Check c) {
        ExecResult r = ns(c.node()).exec(c.command().toArray(String[]::new));
        boolean ok = r.ok() && (c.contains() == null || r.stdout().contains(c.contains()));
        return new CheckResult(c.name(), ok, String.join(" ", c.command()) + " -> exit " + r.exitCode() + "\n" + r.stdout());
    }

    private static JsonNode tree(String json, String empty) {
        try {
            return JSON.readTree(json.isBlank() ? empty : json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unexpected output: " + json, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
