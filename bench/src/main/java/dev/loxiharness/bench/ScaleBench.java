package dev.loxiharness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./topology up topologies/scale.yaml} (1,000 LoadBalancer Services on 4 nodes) until every
 * VIP answers from the client, beside {@code up} of the seed (its one Service answering) in the same
 * run; then the memory (RSS) and CPU time of every daemon of each, read from /proc by the pids the
 * topology's ledger recorded (gobgpd as loxilb's child), each beside the same daemon of the seed.
 * Both run under names of their own and are taken down at the end, also on failure.
 */
final class ScaleBench extends Benchmark {
    static final String SEED = "scale-seed";
    static final String SCALE = "scale-bench";
    /** up's progress line of each manifest applied: the seconds since up began. */
    private static final Pattern APPLIED = Pattern.compile("(?m)^\\s*([0-9.]+)s\\s+kubectl apply ");

    ScaleBench() {
        super("scale", "./topology up scale.yaml (1,000 LoadBalancer Services, 4 nodes) to every VIP answering vs the seed; "
                + "RSS and CPU of every daemon");
    }

    /** One daemon of a running topology, as /proc shows it. */
    record Usage(String daemon, double rssMb, double cpuSeconds) {
    }

    @Override
    void run(Env env, Report report) throws Exception {
        String topology = env.root().resolve("topology").toString();
        Procs.run(List.of(topology, "list"), Duration.ofSeconds(300)); // builds and records the CLI's class archive first
        Map<String, Usage> seed;
        double seedUp;
        Double seedApplied;
        try {
            Procs.Timed up = up(topology, "topologies/seed.yaml", SEED, Duration.ofMinutes(3));
            if (!up.ok()) {
                report.fail("./topology up of the seed (baseline)", "exit " + up.result().exitCode() + ": " + TopologyBench.tail(up.result()));
                return;
            }
            seedUp = up.seconds();
            seedApplied = lastApplied(up.result().stdout());
            seed = usage(SEED);
        } finally {
            down(topology, SEED);
        }
        try {
            Procs.Timed up = up(topology, "topologies/scale.yaml", SCALE, Duration.ofMinutes(15));
            report.detail("upOutput", up.result().stdout());
            if (!up.ok()) {
                report.fail("./topology up of scale.yaml to every VIP answering", "exit " + up.result().exitCode() + ": "
                        + TopologyBench.tail(up.result()));
                return;
            }
            Map<String, Usage> scale = usage(SCALE);
            report.add("./topology up of scale.yaml: 1,000 Services, every VIP answering", up.seconds(), "s", seedUp,
                    "up of the seed (1 Service)", null, null);
            Double applied = lastApplied(up.result().stdout());
            if (applied != null) {
                report.add("... of which: nodes, daemons and kubectl apply of every manifest", applied, "s", seedApplied,
                        "the seed's", null, null);
            }
            for (Map.Entry<String, Usage> e : scale.entrySet()) {
                Usage u = e.getValue();
                Usage base = seed.get(e.getKey());
                report.add(u.daemon() + ": RSS", u.rssMb(), "MB", base == null ? null : base.rssMb(),
                        base == null ? "" : "seed's", null, null);
                report.add(u.daemon() + ": CPU time", u.cpuSeconds(), "s", base == null ? null : base.cpuSeconds(),
                        base == null ? "" : "seed's", null, null);
            }
            report.detail("seed", seed);
            report.detail("scale", scale);
            report.note("RSS and CPU time (user + system since start) of each daemon of the running topology right after up"
                    + " ended, beside the same daemon of the seed after its up; the API server, scheduler, kubelets,"
                    + " kube-proxies and calico-nodes share the 'kubernetes (simulated)' JVM; nginx pods: all pods together");
        } finally {
            down(topology, SCALE);
        }
    }

    private static Double lastApplied(String upOutput) {
        Matcher m = APPLIED.matcher(upOutput);
        Double last = null;
        while (m.find()) {
            last = Double.parseDouble(m.group(1));
        }
        return last;
    }

    private static Procs.Timed up(String topology, String file, String name, Duration budget) {
        return Procs.run(List.of(topology, "up", file, "--set", "name=" + name), budget);
    }

    /** Takes a topology of this bench down; harmless when it is not up (a failed up rolled itself back). */
    private static void down(String topology, String name) {
        if (Files.isDirectory(Path.of("/run/loxiharness", name))) {
            Procs.run(List.of(topology, "down", name), Duration.ofSeconds(120));
        }
    }

    /** Every daemon the ledger of topology {@code name} recorded (pods' nginx summed), and loxilb's gobgpd. */
    static Map<String, Usage> usage(String name) throws Exception {
        JsonNode state = new ObjectMapper().readTree(Path.of("/run/loxiharness", name, "state.json").toFile());
        Map<String, Usage> out = new LinkedHashMap<>();
        List<Usage> pods = new ArrayList<>();
        for (JsonNode p : state.path("processes")) {
            long pid = p.path("pid").asLong();
            String what = p.path("what").asText();
            if (what.equals("class-data archives") || !Files.isDirectory(Path.of("/proc/" + pid))) {
                continue;
            }
            if (what.startsWith("pod ")) {
                pods.add(of("nginx", pid));
                continue;
            }
            out.put(what, of(what, pid));
            if (what.endsWith(" loxilb")) {
                for (long child : children(pid)) {
                    if (BenchLab.comm(child).equals("gobgpd")) {
                        out.put(what.replace(" loxilb", " gobgpd"), of(what.replace(" loxilb", " gobgpd"), child));
                    }
                }
            }
        }
        if (!pods.isEmpty()) {
            out.put("nginx pods", new Usage("nginx pods (" + pods.size() + ")", pods.stream().mapToDouble(Usage::rssMb).sum(),
                    pods.stream().mapToDouble(Usage::cpuSeconds).sum()));
        }
        return out;
    }

    private static Usage of(String daemon, long pid) {
        return new Usage(daemon, BenchLab.rssMb(pid), BenchLab.cpuSeconds(pid)[0]);
    }

    private static List<Long> children(long pid) throws Exception {
        List<Long> out = new ArrayList<>();
        Path tasks = Path.of("/proc/" + pid + "/task");
        try (var ts = Files.list(tasks)) {
            for (Path t : ts.toList()) {
                Path c = t.resolve("children");
                if (Files.exists(c)) {
                    for (String s : Files.readString(c).trim().split("\\s+")) {
                        if (!s.isEmpty()) {
                            out.add(Long.parseLong(s));
                        }
                    }
                }
            }
        }
        return out;
    }
}
