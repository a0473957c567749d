package dev.loxiharness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Failover on ha.yaml: with lb1 MASTER and lb2 BACKUP (POST /config/cistate), the client sends a
 * request every 50 ms while lb1's loxilb is killed (SIGKILL, by its recorded pid); measured: the
 * time until the router's route to the VIP points at lb2 only, the time until the first request
 * served through lb2, and the requests that failed meanwhile. Beside it, in the same run, the same
 * for a cut of lb1's link towards the router (the session then waits for BGP's hold timer).
 */
final class FaultsBench extends Benchmark {
    static final String VIP = "123.123.123.15";
    static final String URL = "http://" + VIP + ":8888/";

    FaultsBench() {
        super("faults", "ha.yaml: master loxilb killed -> router via the backup, first request served, requests lost");
    }

    @Override
    void run(Env env, Report report) throws Exception {
        String topology = env.root().resolve("topology").toString();
        Failover kill = failover(topology, report, "kill");
        Failover link = failover(topology, report, "link");
        if (kill == null || link == null) {
            return;
        }
        report.add("lb1's loxilb killed: router's route via lb2 only", kill.routeSeconds, "s", link.routeSeconds,
                "lb1's router link cut", "seconds", kill.routeSeconds < 5);
        report.add("lb1's loxilb killed: first request served through lb2", kill.servedSeconds, "s", link.servedSeconds,
                "lb1's router link cut", "seconds", kill.servedSeconds < 5);
        report.add("lb1's loxilb killed: requests failed (one every 50 ms)", kill.failed, "", (double) link.failed,
                "lb1's router link cut", "few", null);
    }

    private record Failover(double routeSeconds, double servedSeconds, double failed) {
    }

    /** Brings ha.yaml up, makes lb1 master, then applies the fault and measures; takes it down again. */
    private static Failover failover(String topology, Report report, String fault) throws Exception {
        Procs.Timed up = Procs.run(List.of(topology, "up", "topologies/ha.yaml"), null, Duration.ofMinutes(3));
        try {
            if (!up.ok()) {
                report.fail("./topology up topologies/ha.yaml", TopologyBench.tail(up.result()));
                return null;
            }
            haState("lb1", "MASTER");
            haState("lb2", "BACKUP");
            if (!await(() -> nextHops().equals("192.168.20.4"), Duration.ofSeconds(30))) {
                report.fail("failover (" + fault + ")", "the router never preferred lb1: " + nextHops());
                return null;
            }
            long t0 = System.nanoTime();
            if (fault.equals("kill")) {
                JsonNode ledger = new ObjectMapper().readTree(Files.readString(Path.of("/run/loxiharness/ha/state.json")));
                for (JsonNode p : ledger.path("processes")) {
                    if (p.path("what").asText().equals("lb1 loxilb")) {
                        ProcessHandle.of(p.path("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } else {
                Procs.run(List.of("ip", "-n", "lxh-ha-lb1", "link", "set", "eth0", "down"), null, Duration.ofSeconds(10));
            }
            double route = -1;
            double served = -1;
            int failed = 0;
            long deadline = t0 + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline && (route < 0 || served < 0)) {
                if (route < 0 && nextHops().equals("192.168.20.5")) {
                    route = (System.nanoTime() - t0) / 1e9;
                }
                boolean ok = Procs.run(List.of("ip", "netns", "exec", "lxh-ha-client", "curl", "-s", "-m", "1", "-o", "/dev/null",
                        "-w", "%{http_code}", URL), null, Duration.ofSeconds(5)).result().stdout().equals("200");
                if (ok && route >= 0) {
                    served = (System.nanoTime() - t0) / 1e9;
                } else if (!ok) {
                    failed++;
                }
                Thread.sleep(50);
            }
            if (route < 0 || served < 0) {
                report.fail("failover (" + fault + ")", "no failover within 5 minutes: route " + nextHops());
                return null;
            }
            return new Failover(route, served, failed);
        } finally {
            Procs.run(List.of(topology, "down", "ha"), null, Duration.ofSeconds(60));
        }
    }

    private static void haState(String lb, String state) {
        Procs.run(List.of("ip", "netns", "exec", "lxh-ha-" + lb, "curl", "-s", "-X", "POST", "-H", "Content-Type: application/json",
                "-d", "{\"instance\":\"llb-inst0\",\"state\":\"" + state + "\",\"vip\":\"0.0.0.0\"}",
                "http://127.0.0.1:11111/netlox/v1/config/cistate"), null, Duration.ofSeconds(10));
    }

    private static String nextHops() {
        String out = Procs.run(List.of("ip", "-n", "lxh-ha-router", "route", "show", VIP + "/32"), null, Duration.ofSeconds(5))
                .result().stdout();
        List<String> hops = new ArrayList<>();
        for (String word : out.split("\\s+")) {
            if (word.startsWith("192.168.20.")) {
                hops.add(word);
            }
        }
        return String.join(",", hops);
    }

    private static boolean await(java.util.function.BooleanSupplier condition, Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
