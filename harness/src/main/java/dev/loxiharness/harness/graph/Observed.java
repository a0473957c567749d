package dev.loxiharness.harness.graph;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.BirdProtocol;
import dev.loxiharness.harness.probe.Birdc;
import dev.loxiharness.harness.probe.Gobgp;
import dev.loxiharness.harness.probe.Ip;
import dev.loxiharness.harness.probe.LoxilbApi;
import dev.loxiharness.harness.probe.Probe;
import dev.loxiharness.harness.probe.ProbeException;
import dev.loxiharness.harness.probe.Route;
import dev.loxiharness.harness.roles.BgpSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What a running topology's daemons and kernels say, asked once and all at once through the probes:
 * each gobgpd's and BIRD's sessions, each loxilb's rules, the routes of the nodes a packet crosses
 * on its way to a loxilb (clients, routers), and the Services and EndpointSlices. Each probe gets
 * {@link #PROBE_TIMEOUT}; one that fails or does not answer leaves the reason in its place.
 */
final class Observed {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(4);
    /** The exit code {@code Commands.run} gives a command it ended for running too long. */
    private static final int TIMED_OUT = 124;

    /** What one probe got: its value, or why it got nothing. */
    record Reading<T>(T value, String error) {
        boolean ok() {
            return error == null;
        }
    }

    final Instant at = Instant.now();
    final Map<String, Reading<List<BgpNeighbor>>> gobgp = new ConcurrentHashMap<>();
    final Map<String, Reading<List<BirdProtocol>>> bird = new ConcurrentHashMap<>();
    final Map<String, Reading<JsonNode>> rules = new ConcurrentHashMap<>();
    final Map<String, Reading<List<Route>>> routes = new ConcurrentHashMap<>();
    /** {@code kubectl get services,endpointslices -A -o json}; null without a {@code kubernetes:} section. */
    private volatile Reading<JsonNode> kube;

    private Observed() {
    }

    static Observed read(RunningTopology topo) {
        Observed o = new Observed();
        Topology t = topo.topology();
        Set<String> gobgpNodes = new TreeSet<>();
        Set<String> birdNodes = new TreeSet<>();
        for (BgpSessions.Neighbor n : BgpSessions.neighbors(t)) {
            (n.gobgpd() ? gobgpNodes : birdNodes).add(n.node());
        }
        List<Runnable> probes = new ArrayList<>();
        for (String name : t.nodes().keySet()) {
            Node node = new BoundedNode(topo.node(name), PROBE_TIMEOUT);
            Topology.Node spec = t.nodes().get(name);
            if (gobgpNodes.contains(name)) {
                probes.add(() -> o.gobgp.put(name, reading(() -> Gobgp.neighbors(node))));
            }
            if (birdNodes.contains(name)) {
                probes.add(() -> o.bird.put(name, reading(() -> Birdc.protocols(node))));
            }
            if (spec.has("loxilb")) {
                probes.add(() -> o.rules.put(name, reading(() -> LoxilbApi.rules(node))));
            } else if (!spec.has("kube-proxy")) {
                probes.add(() -> o.routes.put(name, reading(() -> Ip.routes(node))));
            }
        }
        if (t.kubernetes() != null) {
            probes.add(() -> o.kube = reading(() -> {
                ExecResult r = topo.kubectl().run(PROBE_TIMEOUT, List.of("get", "services,endpointslices", "-A", "-o", "json"));
                if (!r.ok()) {
                    throw new ProbeException(r.toString(), r);
                }
                return Probe.json(r.stdout(), "{}");
            }));
        }
        runAll(probes);
        return o;
    }

    /** The Services and EndpointSlices, when the topology has Kubernetes and kubectl answered. */
    Reading<JsonNode> kubernetes() {
        Reading<JsonNode> k = kube;
        return k != null ? k : new Reading<>(null, "this topology runs no Kubernetes, or kubectl did not answer");
    }

    private static <T> Reading<T> reading(Supplier<T> probe) {
        try {
            return new Reading<>(probe.get(), null);
        } catch (RuntimeException e) {
            return new Reading<>(null, reason(e));
        }
    }

    /** A reason short enough for a label: a timeout says so, a failed command its exit code and what it printed first. */
    static String reason(RuntimeException e) {
        Optional<ExecResult> r = e instanceof ProbeException p ? p.result() : Optional.empty();
        if (r.isPresent() && r.get().exitCode() == TIMED_OUT) {
            return "no answer within " + PROBE_TIMEOUT.toSeconds() + " s";
        }
        String m = r.map(x -> "exit " + x.exitCode() + ": " + (x.stderr().isBlank() ? x.stdout() : x.stderr()).strip()).orElse(String.valueOf(e.getMessage()));
        String first = m.lines().findFirst().orElse(m).strip().replaceAll("\\s+", " ");
        return first.length() > 90 ? first.substring(0, 90) + "..." : first;
    }

    private static void runAll(List<Runnable> probes) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, probes.size())), r -> {
            Thread th = new Thread(r, "diagram-probe");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> futures = probes.stream().<Future<?>>map(pool::submit).toList();
            for (Future<?> f : futures) {
                try {
                    f.get(PROBE_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    // a probe that did not finish leaves no reading: its place says "not asked"
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
