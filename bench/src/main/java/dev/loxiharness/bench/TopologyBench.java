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
        warmUp(topology, report);
        List<Double> ups = new ArrayList<>();
        List<Double> downs = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        List<String> timeline = List.of();
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
            timeline = timeline(up.result().stdout());
            Procs.Timed down = Procs.run(List.of(topology, "down", "seed"), Duration.ofSeconds(60));
            downs.add(down.seconds());
            String netns = Procs.run(List.of("ip", "netns", "list"), Duration.ofSeconds(10)).result().stdout();
            long ours = netns.lines().filter(l -> l.startsWith("lxh-seed-")).count();
            long procs = Procs.run(List.of("pgrep", "-fc", "/run/loxiharness/seed/"), Duration.ofSeconds(10)).result().stdout()
                    .lines().mapToLong(l -> Long.parseLong(l.trim())).sum();
            leftovers.add("cycle " + (i + 1) + ": " + ours + " namespaces, " + procs + " processes left");
        }
        long memAfter = memAvailableKb();
        double medianUp = Stats.median(ups);
        report.add("./topology up of the seed, all checks green (median of " + CYCLES + ")", medianUp, "s", reference,
                "seed-wiring.sh up", "<= 0.8x reference", reference == null ? null : medianUp <= 0.8 * reference);
        report.add("./topology down (median of " + CYCLES + ")", Stats.median(downs), "s", null, null, "< 1 s",
                Stats.median(downs) < 1.0);
        report.add("MemAvailable change over " + CYCLES + " cycles", (memBefore - memAfter) / 1024.0, "MB", null, null,
                "no growth", null);
        report.detail("upSeconds", ups);
        report.detail("downSeconds", downs);
        report.detail("leftovers", leftovers);
        report.note("every cycle left " + (leftovers.stream().allMatch(l -> l.contains(": 0 namespaces, 0 processes"))
                ? "nothing behind" : "something: " + leftovers));
        report.detail("timeline", timeline);
        report.note("timeline of the last up (seconds from the CLI's start of work; checks at the time they first passed):");
        timeline.forEach(l -> report.note("  " + l));
        report.note("./topology up includes the JVM start of the CLI and of the daemons and the simulated Kubernetes "
                + "control plane, which the hand-wired reference does not have");
    }

    private static final Pattern STEP = Pattern.compile("^\\s+([0-9.]+)s\\s+(.*)$");
    private static final Pattern CHECK = Pattern.compile("^PASS\\s+(.*) \\(([0-9.]+) s\\)$");

    /**
     * Where the time of one {@code up} went, from what it printed: each step at its time (the
     * daemons' start, each daemon's readiness, the manifests), then each check at the moment it
     * first passed (a BGP session Established, the VIP learnt, the first answer), in time order.
     */
    static List<String> timeline(String upOutput) {
        List<String> out = new ArrayList<>();
        double checksFrom = 0;
        for (String line : upOutput.lines().toList()) {
            Matcher step = STEP.matcher(line);
            Matcher check = CHECK.matcher(line);
            if (step.matches()) {
                double at = Double.parseDouble(step.group(1));
                if (step.group(2).equals("up")) {
                    checksFrom = at;
                }
                out.add(String.format(java.util.Locale.ROOT, "%6.2f s  %s", at, step.group(2)));
            } else if (check.matches()) {
                out.add(String.format(java.util.Locale.ROOT, "%6.2f s  check passed: %s", checksFrom + Double.parseDouble(check.group(2)),
                        check.group(1)));
            }
        }
        out.sort(java.util.Comparator.naturalOrder());
        return out;
    }

    /**
     * One up and down first, as a user's first after a build: the daemons record their classes and
     * the class-data archives are made from them (waited for here, up to 2 minutes), so that the
     * cycles measure the starts users have from their second up on.
     */
    static void warmUp(String topology, Report report) throws Exception {
        Procs.Timed first = Procs.run(List.of(topology, "up"), Duration.ofSeconds(180));
        try {
            Path log = Path.of("/run/loxiharness/seed/class-archives.log");
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (first.ok() && Files.exists(log.getParent().resolve("state.json")) && System.nanoTime() < deadline
                    && (!Files.exists(log) || Files.readString(log).isBlank()) && archivesAwaited(first.result().stdout())) {
                Thread.sleep(200);
            }
            report.detail("firstUpSeconds", first.seconds());
        } finally {
            Procs.run(List.of(topology, "down", "seed"), Duration.ofSeconds(60));
        }
    }

    private static boolean archivesAwaited(String upOutput) {
        return upOutput.contains("making class-data archives");
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
