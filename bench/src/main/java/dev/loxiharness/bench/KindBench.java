package dev.loxiharness.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The kind backend where its images cannot be had (as on our machines): {@code plan} of
 * seed-kind.yaml (the rendered kubeadm and Calico settings included) beside {@code plan} of
 * seed.yaml in the same run, and the time {@code up} takes to refuse, naming what is missing.
 * Where the images are present, {@code up} of seed-kind.yaml to green and its {@code down}.
 */
final class KindBench extends Benchmark {
    static final int ROUNDS = 5;

    KindBench() {
        super("kind", "plan of seed-kind.yaml vs seed.yaml; up's refusal without the images (or up/down where they are)");
    }

    @Override
    void run(Env env, Report report) throws Exception {
        String topology = env.root().resolve("topology").toString();
        if (!dockerEngine(env, report)) {
            return;
        }
        Procs.run(List.of(topology, "images"), null, Duration.ofMinutes(15));
        Double kind = medianSeconds(List.of(topology, "plan", "topologies/seed-kind.yaml"), report);
        Double seed = medianSeconds(List.of(topology, "plan", "topologies/seed.yaml"), report);
        if (kind == null || seed == null) {
            return;
        }
        report.add("./topology plan topologies/seed-kind.yaml (median of " + ROUNDS + ")", kind, "s", seed, "plan of seed.yaml",
                "< 5 s", kind < 5);
        Procs.Timed up = Procs.run(List.of(topology, "up", "topologies/seed-kind.yaml"), null, Duration.ofMinutes(20));
        if (!up.ok()) {
            boolean refused = up.result().stderr().contains("nothing was created");
            report.add("./topology up topologies/seed-kind.yaml without its images: refused, nothing made", up.seconds(), "s", null, null,
                    "within seconds", refused && up.seconds() < 10);
            report.note("kind images absent here: up of seed-kind.yaml to green is measured where they are (the kind lane)");
            return;
        }
        Procs.Timed down = Procs.run(List.of(topology, "down", "seed-kind"), null, Duration.ofMinutes(2));
        report.add("./topology up topologies/seed-kind.yaml, all checks green", up.seconds(), "s", null, null, "measured", null);
        report.add("./topology down seed-kind", down.seconds(), "s", null, null, "measured", null);
    }

    /** The median wall time of {@code argv} over {@link #ROUNDS} runs; null (and a failure) if one fails. */
    private static Double medianSeconds(List<String> argv, Report report) {
        List<Double> s = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            Procs.Timed t = Procs.run(argv, null, Duration.ofSeconds(60));
            if (!t.ok()) {
                report.fail(String.join(" ", argv.subList(1, argv.size())), TopologyBench.tail(t.result()));
                return null;
            }
            s.add(t.seconds());
        }
        return Stats.median(s);
    }
}
