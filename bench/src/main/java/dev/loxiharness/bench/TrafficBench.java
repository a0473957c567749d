package dev.loxiharness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.netns.Netns;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HTTP through the VIP (client -> lb DNAT -> either endpoint of the backend) against the direct path
 * (client -> one endpoint through the same lb namespace, no VIP) with 1 rule and then 10,000 rules
 * installed, wrk in the client namespace. Two modes: keep-alive, and a new connection per request
 * (the one where every request's first packet goes through the NAT lookup).
 *
 * <p>Direct and VIP runs alternate, {@code REPEATS} pairs per stage and mode. Other jobs on a shared
 * 2-CPU machine only ever slow a run down, so each figure is the best of its runs, and a run counts
 * as clean when nginx spent less than {@value #DISTURBED_WAIT_SHARE} of it waiting for its CPU
 * ({@code /proc/PID/schedstat}). Up to {@value #EXTRA} extra pairs are run while a path has fewer
 * than two clean runs; a figure without clean runs is marked noisy. All runs are in the JSON, and
 * for each stage and mode the VIP/direct ratio of each pair, as median and middle half: how far apart
 * two runs made back to back lie here, which is what a figure's distance from its target is worth.
 */
final class TrafficBench extends Benchmark {
    static final int CONNECTIONS = 16;
    static final int SECONDS = Integer.getInteger("bench.wrk.seconds", 2);
    static final int REPEATS = Integer.getInteger("bench.wrk.repeats", 4);
    static final int RULES = 10_000;
    static final int EXTRA = 2;
    static final double DISTURBED_WAIT_SHARE = 0.03;

    TrafficBench() {
        super("traffic", "VIP vs direct throughput and latency with wrk, at 1 and 10,000 rules");
    }

    /** A wrk run and the share of it that nginx spent runnable but waiting for its CPU. */
    private record Measured(Wrk.Run run, double serverWaitShare) {
        boolean clean() {
            return serverWaitShare < DISTURBED_WAIT_SHARE;
        }

        Map<String, Object> json() {
            Map<String, Object> m = run.json();
            m.put("serverWaitShare", serverWaitShare);
            m.put("clean", clean());
            return m;
        }
    }

    /** The best of a path's runs (of its clean runs when there are any). */
    private record Stage(double rps, double meanMs, double p99Ms, boolean noisy) {
        static Stage best(List<Measured> runs) {
            List<Wrk.Run> use = runs.stream().filter(Measured::clean).map(Measured::run).toList();
            boolean noisy = use.isEmpty();
            if (noisy) {
                use = runs.stream().map(Measured::run).toList();
            }
            return new Stage(use.stream().mapToDouble(Wrk.Run::rps).max().orElseThrow(),
                    use.stream().mapToDouble(Wrk.Run::meanMs).min().orElseThrow(),
                    use.stream().mapToDouble(Wrk.Run::p99Ms).min().orElseThrow(), noisy);
        }
    }

    @Override
    void run(Env env, Report report) throws Exception {
        try (BenchLab lab = new BenchLab(env)) {
            Netns[] cl = lab.wireTraffic();
            Netns client = cl[0];
            Netns lb = cl[1];
            BenchLab.Daemon d = lab.startDaemon(lb, "traffic");
            // conntrack entries of closed connections would otherwise linger 120 s in the lb namespace
            // (per-namespace sysctl, same for both paths)
            var tw = lb.exec("sysctl", "-qw", "net.netfilter.nf_conntrack_tcp_timeout_time_wait=1");
            report.detail("lbConntrackTimeWait1s", tw.ok() ? true : tw.toString());
            lab.restLoad(lb, 0, 1, 1, Duration.ofSeconds(30));
            String vip = Rules.vip(0) + ":" + Rules.PORT;
            String direct = Rules.BE1 + ":" + Rules.BACKEND_PORT;
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                seen.add(lab.get(client, Rules.vip(0), Rules.PORT, "/"));
            }
            if (!seen.equals(Set.of(Rules.BE1, Rules.BE2))) {
                throw new IllegalStateException("VIP " + vip + " does not balance over both endpoints: saw " + seen
                        + "; daemon log: " + BenchLab.tail(d.log(), 10));
            }
            report.detail("vip", vip);
            report.detail("direct", direct + " (from " + BenchLab.DIRECT_SRC
                    + ", routed through the lb namespace, no VIP, same nginx)");
            report.detail("wrk", "wrk -t1 -c" + CONNECTIONS + " -d" + SECONDS + "s --latency, alternating direct/VIP, "
                    + REPEATS + "+ runs each, best of the clean ones; " + (BenchLab.pinned(0).isEmpty()
                    ? "unpinned (1 CPU)" : "wrk on CPU " + BenchLab.CLIENT_CPU + ", nginx on CPU " + BenchLab.SERVER_CPU));
            report.note("wrk -t1 -c" + CONNECTIONS + " in the client namespace; best of >= " + REPEATS
                    + " alternating " + SECONDS + " s runs; direct = endpoint " + direct + " without the VIP, same nginx;"
                    + " [noisy] = no run free of other load");
            long worker = lab.nginxWorkerPid();
            Wrk.run(client, vip, CONNECTIONS, 1, false); // warm-up: nginx, ARP, conntrack

            Map<String, Object> det = new LinkedHashMap<>();
            Map<Boolean, Stage[]> atOne = measure(client, vip, direct, worker, det, "1 rule");
            JsonNode load = lab.restLoad(lb, 1, RULES - 1, RulesBench.CONCURRENCY, Duration.ofSeconds(180));
            det.put("install9999Seconds", load.path("seconds").asDouble());
            if (!lab.get(client, Rules.vip(RULES - 1), Rules.PORT, "/").startsWith("10.0.")) {
                throw new IllegalStateException("the last of 10,000 rules does not forward");
            }
            Map<Boolean, Stage[]> atMany = measure(client, vip, direct, worker, det, "10,000 rules");
            report.detail("runs", det);
            det.forEach((key, value) -> {
                if (value instanceof Map<?, ?> spread && key.endsWith("of each pair")) {
                    report.note(key + ": req/s " + spread.get("reqPerSecond") + ", mean latency " + spread.get("meanLatency"));
                }
            });

            for (boolean newConn : new boolean[] {false, true}) {
                String mode = newConn ? "new conn/req" : "keep-alive";
                Stage d1 = atOne.get(newConn)[0];
                Stage v1 = atOne.get(newConn)[1];
                Stage dN = atMany.get(newConn)[0];
                Stage vN = atMany.get(newConn)[1];
                String n1 = d1.noisy || v1.noisy ? " [noisy]" : "";
                String nN = dN.noisy || vN.noisy ? " [noisy]" : "";
                // issue 15: throughput and latency within 5 % of the direct path, at 1 and at 10,000 rules
                report.add("VIP req/s, " + mode + ", 1 rule" + n1, v1.rps, "req/s", d1.rps, "direct",
                        ">= 0.95x direct", v1.rps >= 0.95 * d1.rps);
                report.add("VIP req/s, " + mode + ", 10k rules" + nN, vN.rps, "req/s", dN.rps, "direct",
                        ">= 0.95x direct", vN.rps >= 0.95 * dN.rps);
                report.add("VIP mean latency, " + mode + ", 1 rule" + n1, v1.meanMs, "ms", d1.meanMs, "direct",
                        "<= 1.05x direct", v1.meanMs <= 1.05 * d1.meanMs);
                report.add("VIP mean latency, " + mode + ", 10k rules" + nN, vN.meanMs, "ms", dN.meanMs, "direct",
                        "<= 1.05x direct", vN.meanMs <= 1.05 * dN.meanMs);
                report.add("VIP mean latency, " + mode + ", 10k vs 1 rule" + (n1.isEmpty() ? nN : n1), vN.meanMs,
                        "ms", v1.meanMs, "at 1 rule", "<= 1.10x", vN.meanMs <= 1.10 * v1.meanMs);
                report.add("VIP p99 latency, " + mode + ", 10k vs 1 rule" + (n1.isEmpty() ? nN : n1), vN.p99Ms,
                        "ms", v1.p99Ms, "at 1 rule", "<= 1.10x", vN.p99Ms <= 1.10 * v1.p99Ms);
                Map<String, Object> both = new LinkedHashMap<>();
                both.put("direct at 1 rule", d1);
                both.put("vip at 1 rule", v1);
                both.put("direct at 10,000 rules", dN);
                both.put("vip at 10,000 rules", vN);
                report.detail("best, " + mode, both);
            }
            lab.stopDaemon(d);
        }
    }

    /** For each mode, {direct, VIP}: alternating runs, extra pairs while a path lacks clean runs. */
    private static Map<Boolean, Stage[]> measure(Netns client, String vip, String direct, long worker,
                                                 Map<String, Object> det, String stage) {
        Map<Boolean, Stage[]> out = new LinkedHashMap<>();
        for (boolean newConn : new boolean[] {false, true}) {
            List<Measured> d = new ArrayList<>();
            List<Measured> v = new ArrayList<>();
            for (int r = 0; r < REPEATS + EXTRA; r++) {
                if (r >= REPEATS && clean(d) >= 2 && clean(v) >= 2) {
                    break;
                }
                d.add(run(client, direct, newConn, worker));
                v.add(run(client, vip, newConn, worker));
            }
            out.put(newConn, new Stage[] {Stage.best(d), Stage.best(v)});
            String key = stage + (newConn ? ", new conn/req" : ", keep-alive");
            det.put(key + ", direct", d.stream().map(Measured::json).toList());
            det.put(key + ", vip", v.stream().map(Measured::json).toList());
            det.put(key + ", VIP/direct of each pair", Map.of("reqPerSecond", Spread.of(pairRatios(d, v, Wrk.Run::rps)),
                    "meanLatency", Spread.of(pairRatios(d, v, Wrk.Run::meanMs))));
        }
        return out;
    }

    /**
     * VIP over direct for each pair of runs made one right after the other: drift of the machine
     * between pairs cancels out, what is left shows how far one figure can be trusted.
     */
    private static List<Double> pairRatios(List<Measured> direct, List<Measured> vip, java.util.function.ToDoubleFunction<Wrk.Run> f) {
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < Math.min(direct.size(), vip.size()); i++) {
            r.add(f.applyAsDouble(vip.get(i).run()) / f.applyAsDouble(direct.get(i).run()));
        }
        return r;
    }

    /** The median of the pairs' ratios and the range of their middle half. */
    record Spread(double median, double q1, double q3, int pairs) {
        static Spread of(List<Double> xs) {
            return new Spread(Stats.median(xs), Stats.quantile(xs, 0.25), Stats.quantile(xs, 0.75), xs.size());
        }

        @Override
        public String toString() {
            return String.format("%.2fx (middle half of %d pairs %.2f-%.2fx)", median, pairs, q1, q3);
        }
    }

    private static long clean(List<Measured> runs) {
        return runs.stream().filter(Measured::clean).count();
    }

    private static Measured run(Netns client, String target, boolean newConn, long worker) {
        long w0 = BenchLab.schedWaitNanos(worker);
        long t0 = System.nanoTime();
        Wrk.Run r = Wrk.run(client, target, CONNECTIONS, SECONDS, newConn);
        double share = (BenchLab.schedWaitNanos(worker) - w0) / (double) (System.nanoTime() - t0);
        if (r.requests() == 0 || r.errors() > r.requests() / 100) {
            throw new IllegalStateException("wrk against " + r.target() + " saw errors: " + r.json());
        }
        return new Measured(r, share);
    }
}
