package dev.loxiharness.bench;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Failover on ha.yaml: with lb1 MASTER and lb2 BACKUP (POST /config/cistate), the client sends a
 * request every 50 ms while lb1's loxilb is killed (SIGKILL, by its recorded pid); measured: the
 * time until the router's route to the VIP points at lb2 only, the time until the first request
 * served through lb2, and the requests that failed meanwhile. Beside it, in the same run, the same
 * for a cut of lb1's link towards the router (the session then waits for BGP's hold timer). Both
 * faults are {@code ./topology fault}, as a user scripts them.
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
            // the fault runs beside the polling; times count from the moment it prints ("HH:mm:ss.SSS  lb1 ...")
            List<String> argv = new ArrayList<>(List.of(topology, "fault"));
            argv.addAll(fault.equals("kill") ? List.of("lb1", "kill", "loxilb") : List.of("lb1", "link", "eth0", "down"));
            CompletableFuture<Procs.Timed> done = CompletableFuture.supplyAsync(() -> Procs.run(argv, null, Duration.ofSeconds(30)));
            long routeAt = -1;
            long servedAt = -1;
            int failed = 0;
            long deadline = System.currentTimeMillis() + Duration.ofMinutes(5).toMillis();
            while (System.currentTimeMillis() < deadline && (servedAt < 0 || !done.isDone())) {
                boolean viaLb2 = nextHops().equals("192.168.20.5");
                long now = System.currentTimeMillis();
                if (viaLb2 && routeAt < 0) {
                    routeAt = now;
                }
                boolean ok = Procs.run(List.of("ip", "netns", "exec", "lxh-ha-client", "curl", "-s", "-m", "1", "-o", "/dev/null",
                        "-w", "%{http_code}", URL), null, Duration.ofSeconds(5)).result().stdout().equals("200");
                if (ok && routeAt >= 0 && servedAt < 0) {
                    servedAt = System.currentTimeMillis();
                } else if (!ok) {
                    failed++;
                }
                Thread.sleep(50);
            }
            Procs.Timed faultRun = done.join();
            if (!faultRun.ok()) {
                report.fail("./topology fault (" + fault + ")", TopologyBench.tail(faultRun.result()));
                return null;
            }
            long at = LocalDate.now().atTime(LocalTime.parse(faultRun.result().stdout().strip().split("\\s+")[0]))
                    .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            double route = routeAt < 0 ? -1 : (routeAt - at) / 1e3;
            double served = servedAt < 0 ? -1 : (servedAt - at) / 1e3;
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
