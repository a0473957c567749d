package dev.loxiharness.harness.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.model.Cidr;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.BgpPath;
import dev.loxiharness.harness.probe.BirdProtocol;
import dev.loxiharness.harness.probe.Birdc;
import dev.loxiharness.harness.probe.Curl;
import dev.loxiharness.harness.probe.Gobgp;
import dev.loxiharness.harness.probe.HttpResponse;
import dev.loxiharness.harness.probe.Ip;
import dev.loxiharness.harness.probe.KubectlGet;
import dev.loxiharness.harness.probe.Loxicmd;
import dev.loxiharness.harness.probe.LoxilbApi;
import dev.loxiharness.harness.probe.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The topology file's checks: each asks a node through the probes ({@code harness.probe}: gobgp,
 * birdc, ip, curl, loxicmd, kubectl), compares what they parsed with the expectation, and says what
 * it saw either way.
 */
public final class Checks {
    private final RunningTopology topo;

    public Checks(RunningTopology topo) {
        this.topo = topo;
    }

    public List<CheckResult> runOnce() {
        return topo.topology().checks().parallelStream().map(this::run).toList();
    }

    /**
     * Repeats each failing check until it passes or its budget runs out ({@code budget:} of the check,
     * else {@code budget}), all checks at once (each probe is a process in a node; some, like
     * loxicmd, take a few hundred ms); the last results.
     */
    public List<CheckResult> await(Duration budget) {
        long start = System.nanoTime();
        List<Topology.Check> checks = topo.topology().checks();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, checks.size()));
        try {
            List<Future<CheckResult>> futures = new ArrayList<>();
            for (Topology.Check c : checks) {
                long deadline = start + budget(c, budget).toNanos();
                futures.add(pool.submit(() -> {
                    long ran = System.nanoTime();
                    CheckResult r = run(c);
                    while (!r.passed() && System.nanoTime() < deadline) {
                        // a check that costs much (1,000 Services listed) is asked no more often than it takes
                        sleep(Math.max(100, (System.nanoTime() - ran) / 1_000_000));
                        ran = System.nanoTime();
                        r = run(c);
                    }
                    return r.at((System.nanoTime() - start) / 1e9);
                }));
            }
            List<CheckResult> out = new ArrayList<>();
            for (Future<CheckResult> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** How long a check may take to pass: its own {@code budget:}, else {@code otherwise}. */
    public static Duration budget(Topology.Check c, Duration otherwise) {
        return c.budget() == null ? otherwise : Duration.ofSeconds(c.budget());
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
                case "service" -> service(c);
                case "load-balancers" -> loadBalancers(c);
                default -> new CheckResult(c.name(), false, "unknown check type " + c.type());
            };
        } catch (RuntimeException e) {
            return new CheckResult(c.name(), false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Node node(String name) {
        return topo.node(name);
    }

    /** A loxilb node's session as gobgp sees it, any other node's as its BIRD does. */
    private CheckResult bgpSession(Topology.Check c) {
        Node node = node(c.node());
        if (node.spec().has("loxilb")) {
            List<BgpNeighbor> all = Gobgp.neighbors(node);
            Optional<BgpNeighbor> n = all.stream().filter(x -> x.address().equals(c.peer())).findFirst();
            return n.map(x -> new CheckResult(c.name(), x.established(), "gobgp neighbor: " + x))
                    .orElse(new CheckResult(c.name(), false, "no such peer in `gobgp neighbor`: " + all));
        }
        List<BirdProtocol> all = Birdc.protocols(node);
        Optional<BirdProtocol> p = all.stream().filter(x -> x.peer().equals(c.peer())).findFirst();
        return p.map(x -> new CheckResult(c.name(), x.established(), "birdc show protocols: " + x))
                .orElse(new CheckResult(c.name(), false, "no BGP protocol for " + c.peer() + " in `birdc show protocols`: " + all));
    }

    private CheckResult rib(Topology.Check c) {
        Map<String, List<BgpPath>> rib = Gobgp.rib(node(c.node()));
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        List<String> prefixes = c.prefixes();
        if (c.within() != null) {
            Cidr within = Cidr.parse(c.within());
            prefixes = rib.keySet().stream().filter(p -> p.contains("/") && !p.contains(":") && within.contains(Cidr.parse(p))).sorted().toList();
            int atLeast = c.atLeast() == null ? 1 : c.atLeast();
            if (prefixes.size() < atLeast) {
                problems.add(prefixes.size() + " prefix(es) within " + c.within() + ", expected at least " + atLeast
                        + " (rib: " + rib.keySet() + ")");
            }
        }
        for (String prefix : prefixes) {
            Optional<BgpPath> best = BgpPath.bestOf(rib.getOrDefault(prefix, List.of()));
            if (best.isEmpty()) {
                problems.add(prefix + " missing");
                continue;
            }
            BgpPath p = best.get();
            seen.add(prefix + " via " + p.nextHop() + " as_path " + p.asPath() + " origin " + p.origin());
            if (c.nextHop() != null && !c.nextHop().equals(p.nextHop())) {
                problems.add(prefix + " next hop " + p.nextHop() + ", expected " + c.nextHop());
            }
            if (c.asPath() != null && !c.asPath().equals(p.asPath())) {
                problems.add(prefix + " AS path " + p.asPath() + ", expected " + c.asPath());
            }
        }
        return new CheckResult(c.name(), problems.isEmpty(), String.join("\n", seen)
                + (problems.isEmpty() ? "" : "\n" + String.join("\n", problems)));
    }

    private CheckResult kernelRoute(Topology.Check c) {
        List<Route> routes = Ip.routes(node(c.node()), c.prefix());
        String via = routes.isEmpty() ? null : routes.get(routes.size() - 1).gatewayOrDevice();
        boolean ok = via != null && (c.via() == null || c.via().equals(via));
        return new CheckResult(c.name(), ok, "ip route " + c.prefix() + ": " + (via == null ? "none" : "via " + via));
    }

    private CheckResult http(Topology.Check c) {
        int attempts = c.attempts() == null ? 1 : c.attempts();
        int want = c.status() == null ? 200 : c.status();
        List<String> seen = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < attempts; i++) {
            HttpResponse r = Curl.poll(node(c.from()), c.url());
            String body = r.body().strip();
            seen.add((r.status() == 0 ? "000" : String.valueOf(r.status()))
                    + (body.isEmpty() ? "" : " " + (body.length() > 60 ? body.substring(0, 60) + "..." : body)));
            ok &= r.status() == want && (c.body() == null || body.contains(c.body()));
        }
        return new CheckResult(c.name(), ok, "curl " + c.url() + " from " + c.from() + ": " + String.join(" | ", seen));
    }

    /**
     * The seed's {@code loxicmd get lb} row. While loxilb's REST API does not hold a rule for the
     * row's address yet, that is the answer, without starting loxicmd: polled every 100 ms, its JVM
     * would take a core from the daemons the checks wait for.
     */
    private CheckResult loxicmd(Topology.Check c) {
        String[] cells = c.row().split("\\|");
        String vip = cells.length > 1 ? cells[1].strip() : "";
        if (!vip.isEmpty()) {
            var rules = LoxilbApi.rules(node(c.node()));
            boolean present = false;
            for (var rule : rules) {
                present |= vip.equals(rule.path("serviceArguments").path("externalIP").asText());
            }
            if (!present) {
                return new CheckResult(c.name(), false, "loxilb's REST API has no rule for " + vip + " yet: " + rules);
            }
        }
        ExecResult r = Loxicmd.run(node(c.node()), "get", "lb", "--legacy");
        return new CheckResult(c.name(), r.stdout().lines().anyMatch(l -> l.equals(c.row())),
                "loxicmd get lb:\n" + r.stdout() + r.stderr());
    }

    private CheckResult command(Topology.Check c) {
        ExecResult r = node(c.node()).exec(Node.DEFAULT_TIMEOUT, null, c.command());
        boolean ok = r.ok() && (c.contains() == null || r.stdout().contains(c.contains()));
        return new CheckResult(c.name(), ok, String.join(" ", c.command()) + " -> exit " + r.exitCode() + "\n" + r.stdout());
    }

    /** The seed's {@code kubectl get svc} evidence: the Service's row, EXTERNAL-IP and PORT(S) columns. */
    private CheckResult service(Topology.Check c) {
        if (topo.topology().kubernetes() == null) {
            return new CheckResult(c.name(), false, "this topology runs no Kubernetes");
        }
        String[] ns = c.service().split("/");
        KubectlGet.ServiceTable t = KubectlGet.service(topo.kubectl(), ns[0], ns[1]);
        boolean ok = t.row().map(r -> (c.externalIp() == null || r.externalIp().equals(c.externalIp()))
                && (c.ports() == null || r.ports().startsWith(c.ports()))).orElse(false);
        return new CheckResult(c.name(), ok, "kubectl get svc " + ns[1] + " -n " + ns[0] + ":\n" + t.printed());
    }

    /**
     * Every LoadBalancer Service of the cluster ({@code count} of them) has an EXTERNAL-IP, and every
     * EXTERNAL-IP:port answers {@code status} (200) to a GET from {@code from}, all requests in flight
     * together; says how many did and names the first that did not.
     */
    private CheckResult loadBalancers(Topology.Check c) {
        if (topo.topology().kubernetes() == null) {
            return new CheckResult(c.name(), false, "this topology runs no Kubernetes");
        }
        int want = c.status() == null ? 200 : c.status();
        List<String> withoutIp = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        Set<String> vips = new HashSet<>();
        int services = 0;
        for (JsonNode s : KubectlGet.json(topo.kubectl(), "get", "svc", "-A").path("items")) {
            if (!"LoadBalancer".equals(s.path("spec").path("type").asText())) {
                continue;
            }
            services++;
            String ip = s.path("status").path("loadBalancer").path("ingress").path(0).path("ip").asText("");
            if (ip.isEmpty()) {
                withoutIp.add(s.path("metadata").path("namespace").asText() + "/" + s.path("metadata").path("name").asText());
                continue;
            }
            vips.add(ip);
            s.path("spec").path("ports").forEach(p -> urls.add("http://" + ip + ":" + p.path("port").asInt() + "/"));
        }
        long t0 = System.nanoTime();
        // while addresses are still being given the check cannot pass: a thousand GETs a poll would
        // only take CPU from the daemons it waits for
        List<HttpResponse> answers = withoutIp.isEmpty() ? Curl.getAll(node(c.from()), urls, Curl.TIMEOUT) : List.of();
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<HttpResponse> wrong = answers.stream().filter(a -> a.status() != want).toList();
        StringBuilder seen = new StringBuilder(String.format(Locale.ROOT,
                "%d LoadBalancer Services (expected %d), %d with an EXTERNAL-IP (%d distinct); %d of %d VIP:port answered %d from %s in %.1f s",
                services, c.count(), services - withoutIp.size(), vips.size(), answers.size() - wrong.size(), answers.size(), want,
                c.from(), seconds));
        if (!withoutIp.isEmpty()) {
            seen.append("\nno EXTERNAL-IP yet: ").append(String.join(", ", withoutIp.subList(0, Math.min(5, withoutIp.size()))))
                    .append(withoutIp.size() > 5 ? " and " + (withoutIp.size() - 5) + " more" : "");
        }
        wrong.stream().limit(5).forEach(a -> seen.append("\n").append(a));
        if (wrong.size() > 5) {
            seen.append("\n... and ").append(wrong.size() - 5).append(" more");
        }
        boolean ok = services == c.count() && withoutIp.isEmpty() && wrong.isEmpty();
        return new CheckResult(c.name(), ok, seen.toString());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
