package dev.loxiharness.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The container half: the Java loxilb image built cold (the debootstrap base and the image removed
 * first) and warm (reused by content hash); {@code up} of seed-docker.yaml (loxilb as a container)
 * to every check green beside {@code up} of seed.yaml (loxilb in a namespace) in the same run; and
 * the seed's {@code docker stop loxilb; docker start loxilb} until the rule, both BGP sessions and
 * the VIP answer again.
 */
final class ContainersBench extends Benchmark {
    static final int ROUNDS = 3;
    static final String VIP_URL = "http://123.123.123.15:8888/";

    ContainersBench() {
        super("containers", "image build cold/warm; up seed-docker.yaml vs seed.yaml; docker stop/start loxilb to green");
    }

    @Override
    void run(Env env, Report report) throws Exception {
        String topology = env.root().resolve("topology").toString();
        if (!dockerEngine(env, report)) {
            return;
        }
        for (String image : List.of("loxiharness/loxilb", "loxiharness/loxi-ccm", "loxiharness/debian-base")) {
            String ids = Procs.run(List.of("docker", "images", "-q", image), null, Duration.ofSeconds(30)).result().stdout().strip();
            if (!ids.isEmpty()) {
                List<String> rmi = new ArrayList<>(List.of("docker", "rmi", "-f"));
                rmi.addAll(ids.lines().distinct().toList());
                Procs.run(rmi, null, Duration.ofSeconds(60));
            }
        }
        Procs.Timed cold = Procs.run(List.of(topology, "images"), null, Duration.ofMinutes(15));
        if (!cold.ok()) {
            report.fail("./topology images, cold", TopologyBench.tail(cold.result()));
            return;
        }
        Procs.Timed warm = Procs.run(List.of(topology, "images"), null, Duration.ofMinutes(2));
        report.add("./topology images, cold (debootstrap base + docker build --network none)", cold.seconds(), "s", null, null,
                "once per machine", null);
        report.add("./topology images, warm (reused by content hash)", warm.seconds(), "s", null, null, "< 5 s", warm.seconds() < 5);
        report.detail("imagesColdOutput", cold.result().stdout().strip());

        List<Double> namespaces = new ArrayList<>();
        List<Double> containers = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            Double ns = upToGreen(topology, "topologies/seed.yaml", "seed", report);
            Double ct = upToGreen(topology, "topologies/seed-docker.yaml", "seed-docker", report);
            if (ns == null || ct == null) {
                return;
            }
            namespaces.add(ns);
            containers.add(ct);
        }
        double medianNs = Stats.median(namespaces);
        double medianCt = Stats.median(containers);
        report.add("./topology up of seed-docker.yaml, all checks green (median of " + ROUNDS + ")", medianCt, "s", medianNs,
                "up of seed.yaml", "<= 1.3x", medianCt <= 1.3 * medianNs);
        report.detail("upSeedSeconds", namespaces);
        report.detail("upSeedDockerSeconds", containers);

        Procs.Timed up = Procs.run(List.of(topology, "up", "topologies/seed-docker.yaml"), null, Duration.ofSeconds(180));
        try {
            if (!up.ok()) {
                report.fail("docker stop/start loxilb", "up failed: " + TopologyBench.tail(up.result()));
                return;
            }
            Procs.run(List.of("docker", "stop", "loxilb"), null, Duration.ofSeconds(60));
            long t0 = System.nanoTime();
            Procs.run(List.of("docker", "start", "loxilb"), null, Duration.ofSeconds(60));
            double green = awaitGreenAfterStart(t0, Duration.ofSeconds(90));
            if (green < 0) {
                report.fail("docker stop/start loxilb to green", "not green within 90 s");
                return;
            }
            report.add("docker start loxilb -> rule, both sessions and the VIP back", green, "s", null, null, "a few seconds",
                    green < 10);
            report.note("The restarted container keeps its MAC addresses (made from its IPs, as Docker does), so its peers'"
                    + " ARP caches stay right and BIRD reconnects on its next 1 s retry");
        } finally {
            Procs.run(List.of(topology, "down", "seed-docker"), null, Duration.ofSeconds(60));
        }
    }

    /** Seconds of {@code up FILE} to exit 0 (every check green), then takes it down; null (and a failure) if it did not. */
    private static Double upToGreen(String topology, String file, String name, Report report) {
        Procs.Timed up = Procs.run(List.of(topology, "up", file), null, Duration.ofSeconds(180));
        Procs.run(List.of(topology, "down", name), null, Duration.ofSeconds(60));
        if (!up.ok()) {
            report.fail("./topology up " + file, "exit " + up.result().exitCode() + ": " + TopologyBench.tail(up.result()));
            return null;
        }
        return up.seconds();
    }

    /** Polls the seed's own probes (docker exec, curl in the client's namespace) every 100 ms; seconds since {@code t0}, or -1. */
    private static double awaitGreenAfterStart(long t0, Duration budget) throws InterruptedException {
        long deadline = t0 + budget.toNanos();
        while (System.nanoTime() < deadline) {
            String lb = Procs.run(List.of("docker", "exec", "loxilb", "loxicmd", "get", "lb"), null, Duration.ofSeconds(10)).result().stdout();
            String neigh = Procs.run(List.of("docker", "exec", "loxilb", "gobgp", "neigh"), null, Duration.ofSeconds(10)).result().stdout();
            boolean sessions = neigh.lines().filter(l -> l.contains("Establ")).count() == 2;
            boolean vip = sessions && lb.contains("123.123.123.15") && Procs.run(List.of("ip", "netns", "exec", "lxh-seed-docker-client",
                    "curl", "-s", "-m", "1", "-o", "/dev/null", "-w", "%{http_code}", VIP_URL), null, Duration.ofSeconds(5))
                    .result().stdout().equals("200");
            if (vip) {
                return (System.nanoTime() - t0) / 1e9;
            }
            Thread.sleep(100);
        }
        return -1;
    }
}
