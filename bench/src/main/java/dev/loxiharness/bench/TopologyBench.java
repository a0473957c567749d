package dev.loxiharness.bench;

import dev.loxiharness.exec.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./topology up} of the seed to every check green, beside the hand-wired reference
 * ({@code shared/reference/seed-wiring.sh up}) in the same run; {@code down}; and ten up/down
 * cycles watching for leftovers (namespaces, processes) and memory.
 */
final class TopologyBench extends Benchmark {
    static final int CYCLES = 10;

    TopologyBench() {
        super("topology",
                "./topology up (seed, to all checks green) vs seed-wiring.sh; down; " + CYCLES + " up/down cycles");
    }

    @Override
    void run(Env env, Report report) throws Exception {
        Path wiring = env.root().resolveSibling("shared/reference/seed-wiring.sh");
        Double reference = null;
        if (Files.isRegularFile(wiring)) {
            Procs.Timed w = Procs.run(List.of("bash", wiring.toString(), "up"), Duration.ofSeconds(120));
            Procs.run(List.of("bash", wiring.toString(), "down"), Duration.ofSeconds(60));
            Matcher m = Pattern.compile("total_s=([0-9.]+)").matcher(w.result().stdout());
            reference = m.find() ? Double.parseDouble(m.group(1)) : w.seconds();
            report.detail("referenceOutput", w.result().stdout().strip());
        } else {
            report.note("no " + wiring + ": the hand-wired reference was not run");
        }
        String topology = env.root().resolve("topology").toString();
        Procs.run(List.of(topology, "list"), Duration.ofSeconds(300)); // builds and records the CLI's class archive first
        List<Double> ups = new ArrayList<>();
        List<Double> downs = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        long memBefore = memAvailableKb();
        for (int i = 0; i < CYCLES; i++) {
            Procs.Timed up = Procs.run(List.of(topology, "up"), Duration.ofSeconds(180));
            if (!up.ok()) {
                report.fail("./topology up of the seed", "exit " + up.result().exitCode() + ": " + tail(up.result()));
                if (up.result().exitCode() == 3) { // up, but a check failed: it is ours to remove
                    Procs.run(List.of(topology, "down", "seed"), Duration.ofSeconds(60));
                }
                    return;
            }
            ups.add(up.seconds());
            Procs.Timed down = Procs.run(List.of(topology, "down", "seed"), Duration.ofSeconds(60));
            downs.add(down.seconds());
            String netns = Procs.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).result().stdout();
            long ours = netns.lines().filter(l -> l.startsWith("lxh-")).count();
            long procs = Procs.run(List.of("pgrep", "-fc", "/run/loxiharness/"), Duration.ofSeconds(10)).result().stdout()
                    .lines().mapToLong(l -> Long.parseLong(l.trim())).sum();
            leftovers.add("cycle " + (i + 1) + ": " + ours + " namespaces, " + procs + " processes left");
        }
        long memAfter = memAvailableKb();
        double firstUp = ups.get(0);
        double medianUp = Stats.median(ups);
        report.add("./topology up of the seed, all checks green (median of " + CYCLES + ")", medianUp, "s", reference,
                "seed-wiring.sh up", "<= 0.8x reference", reference == null ? null : medianUp <= 0.8 * reference);
        report.add("./topology down (median of " + CYCLES + ")", Stats.median(downs), "s", null, null, "< 1 s",
                Stats.median(downs) < 1.0);
        report.add("MemAvailable change over " + CYCLES + " cycles", (memBefore - memAfter) / 1024.0, "MB", null, null,
                "no growth", null);
        report.detail("upSeconds", ups);
        report.detail("downSeconds", downs);
        report.detail("firstUpSeconds", firstUp);
        report.detail("leftovers", leftovers);
        report.note("every cycle left " + (leftovers.stream().allMatch(l -> l.contains(": 0 namespaces, 0 processes"))
                ? "nothing behind" : "something: " + leftovers));
        report.note("./topology up includes the JVM start of the CLI and of the daemons and the simulated Kubernetes "
                + "control plane, which the hand-wired reference does not have");
    }

    static long memAvailableKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith("MemAvailable:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    static String tail(ExecResult r) {
        List<String> lines = (r.stdout() + r.stderr()).lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }
}
