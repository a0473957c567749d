package dev.loxiharness.bench;

import dev.loxiharness.netns.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time of {@code bin/loxicmd get lb -s 127.0.0.1} inside the daemon's namespace with one rule:
 * the first call (which records the AppCDS archive next to loxilb.jar) and the median of
 * {@value LATER} later calls, beside a bare {@code java -version}.
 */
final class LoxicmdBench extends Benchmark {
    static final int LATER = 10;

    LoxicmdBench() {
        super("loxicmd", "bin/loxicmd get lb: first call (AppCDS recording) and median of 10, vs java -version");
    }

    @Override
    void run(Env env, Report report) throws Exception {
        report.detail("loxilbJar", env.ensureLoxilbJar());
        try (BenchLab lab = new BenchLab(env)) {
            Netns ns = lab.ns("cmd");
            BenchLab.Daemon d = lab.startDaemon(ns, "cmd");
            lab.restLoad(ns, 0, 1, 1, Duration.ofSeconds(30));

            List<Double> jvm = new ArrayList<>();
            for (int i = 0; i <= 5; i++) {
                Procs.Timed t = Procs.run(ns.wrap(List.of(env.java(), "-version")), Duration.ofSeconds(30));
                if (i > 0) {
                    jvm.add(t.seconds());
                }
            }
            double baseline = Stats.median(jvm);

            // the archive is a build output of bin/loxicmd (ignored by git); removing it makes the next
            // call the recording one, as after a fresh build
            String jar = env.loxilbJar().toString();
            Path jsa = Path.of(jar.substring(0, jar.length() - ".jar".length()) + "-loxicmd.jsa");
            Files.deleteIfExists(jsa);
            List<String> cmd = ns.wrap(List.of(env.root().resolve("bin/loxicmd").toString(), "get", "lb",
                    "-s", "127.0.0.1"));
            Map<String, Object> det = new LinkedHashMap<>();
            Env.Launch firstLaunch = env.launch(cmd);
            Procs.Timed first = firstLaunch.timed();
            int discarded = firstLaunch.discarded();
            String problem = problem(first);
            det.put("firstCall", first.result().stdout());
            if (problem != null) {
                report.fail("get lb, first call", problem);
                report.detail("calls", det);
                lab.stopDaemon(d);
                return;
            }
            report.add("get lb, first call (records AppCDS)", first.seconds(), "s", baseline, "java -version", null,
                    null);
            det.put("archiveRecorded", Files.exists(jsa));
            List<Double> later = new ArrayList<>();
            for (int i = 0; i < LATER; i++) {
                Env.Launch l = env.launch(cmd);
                discarded += l.discarded();
                Procs.Timed t = l.timed();
                String p = problem(t);
                if (p != null) {
                    report.fail("get lb, later call", p);
                    report.detail("calls", det);
                    lab.stopDaemon(d);
                    return;
                }
                later.add(t.seconds());
            }
            report.add("get lb, median of " + LATER + " later calls", Stats.median(later), "s", baseline,
                    "java -version", null, null);
            det.put("firstSeconds", first.seconds());
            det.put("laterSeconds", later);
            det.put("javaVersionSeconds", jvm);
            det.put("attemptsDiscardedBecauseTheLauncherBuiltJars", discarded);
            report.detail("calls", det);
            lab.stopDaemon(d);
        }
    }

    /** Why a call does not count as a working {@code get lb}, or null when it shows the rule. */
    private static String problem(Procs.Timed t) {
        var r = t.result();
        if (!r.ok()) {
            return "bin/loxicmd get lb exited " + r.exitCode() + ": " + firstLines(r.stderr().isBlank() ? r.stdout() : r.stderr());
        }
        if (!r.stdout().contains(Rules.vip(0))) {
            return "bin/loxicmd get lb did not list the rule " + Rules.vip(0) + ": " + firstLines(r.stdout());
        }
        return null;
    }

    private static String firstLines(String s) {
        String[] l = s.strip().split("\n");
        return String.join(" | ", Arrays.asList(l).subList(0, Math.min(3, l.length)));
    }
}
