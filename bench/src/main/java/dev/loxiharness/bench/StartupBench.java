package dev.loxiharness.bench;

import dev.loxiharness.netns.Netns;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Daemon start (bin/loxilb, fresh --config-path) to the first 200 of GET /netlox/v1/version, polled
 * from inside its namespace; median of {@value STARTS} starts, beside the start of a bare JVM with
 * the launcher's options ({@code java -version}). Idle RSS after each start, and after 10,000 rules
 * programmed over REST into the last one.
 */
final class StartupBench extends Benchmark {
    static final int STARTS = 5;
    static final String LAUNCHER_OPTS = "-Xms16m -Xmx112m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:MinHeapFreeRatio=10"
            + " -XX:MaxHeapFreeRatio=25 -XX:MaxMetaspaceSize=96m -Xss512k";

    StartupBench() {
        super("startup", "daemon start to API ready (median of 5) and idle RSS, empty and at 10,000 rules");
    }

    @Override
    void run(Env env, Report report) throws Exception {
        report.detail("loxilbJar", env.ensureLoxilbJar());
        String opts = System.getenv().getOrDefault("LOXILB_JAVA_OPTS", LAUNCHER_OPTS);
        report.detail("jvmOptions", opts);
        try (BenchLab lab = new BenchLab(env)) {
            Netns ns = lab.ns("start");
            List<String> jv = new ArrayList<>(List.of(env.java()));
            jv.addAll(List.of(opts.trim().split("\\s+")));
            jv.add("-version");
            List<Double> jvm = new ArrayList<>();
            for (int i = 0; i <= STARTS; i++) {
                Procs.Timed t = Procs.run(ns.wrap(jv), Duration.ofSeconds(30));
                if (i > 0) { // the first one warms the page cache
                    jvm.add(t.seconds());
                }
            }

            List<Double> starts = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            List<Double> stops = new ArrayList<>();
            java.util.Set<String> modes = new java.util.TreeSet<>();
            int discarded = 0;
            BenchLab.Daemon last = null;
            for (int i = 0; i < STARTS; i++) {
                BenchLab.Daemon d = null;
                double start = -1;
                for (int attempt = 0; attempt < Env.LAUNCH_ATTEMPTS && d == null; attempt++) {
                    long jarTime = env.loxilbJar().toFile().lastModified();
                    Instant t0;
                    try (BenchLab.ApiPoller poller = lab.poller(ns, 11111, "/netlox/v1/version", Duration.ofMinutes(5))
                            .start()) {
                        t0 = Instant.now();
                        d = lab.spawnDaemon(ns, "start" + i + "-" + attempt);
                        Instant ready;
                        try {
                            ready = poller.await();
                        } catch (RuntimeException e) {
                            throw new IllegalStateException(e.getMessage() + "; daemon log: " + BenchLab.tail(d.log(), 15), e);
                        }
                        start = Duration.between(t0, ready).toNanos() / 1e9;
                    }
                    if (env.built(Files.readString(d.log()), jarTime)) {
                        // bin/loxilb built jars first (the tree changed): not a start-up time
                        lab.stopDaemon(d);
                        d = null;
                        discarded++;
                    }
                }
                if (d == null) {
                    throw new IllegalStateException("bin/loxilb rebuilt the jars on each of " + Env.LAUNCH_ATTEMPTS
                            + " attempts (sources in the tree keep changing)");
                }
                starts.add(start);
                if (!"java".equals(BenchLab.comm(d.pid()))) {
                    throw new IllegalStateException("pid " + d.pid() + " is " + BenchLab.comm(d.pid())
                            + ", not the daemon's JVM: bin/loxilb no longer execs java?");
                }
                modes.add(Files.readString(java.nio.file.Path.of("/proc/" + d.pid() + "/cmdline")).contains("-XX:SharedArchiveFile=")
                        ? "from its class-data archive" : "without a class-data archive");
                Thread.sleep(1000); // idle: let start-up threads settle
                rss.add(BenchLab.rssMb(d.pid()));
                if (i < STARTS - 1) {
                    long s0 = System.nanoTime();
                    lab.stopDaemon(d);
                    stops.add((System.nanoTime() - s0) / 1e9);
                } else {
                    last = d;
                }
            }
            double start = Stats.median(starts);
            // bin/loxilb uses the archive ./topology up makes once after each build: say which start this was
            report.add("start to API ready (median of " + STARTS + ", " + String.join(" and ", modes) + ")", start, "s", Stats.median(jvm),
                    "java -version", "< 1.5 s", start < 1.5);
            double idle = Stats.median(rss);
            report.add("idle RSS after start (median)", idle, "MB", null, null, "< 150 MB", idle < 150);

            lab.restLoad(ns, 0, 10_000, RulesBench.CONCURRENCY, Duration.ofSeconds(180));
            Thread.sleep(2000);
            double full = BenchLab.rssMb(last.pid());
            report.add("idle RSS after 10,000 rules", full, "MB", idle, "empty", "< 150 MB", full < 150);

            Map<String, Object> det = new LinkedHashMap<>();
            det.put("startSeconds", starts);
            det.put("javaVersionSeconds", jvm);
            det.put("idleRssMb", rss);
            det.put("stopSeconds", stops);
            det.put("classDataArchive", String.join(" and ", modes));
            det.put("rssAt10000Mb", full);
            det.put("startsDiscardedBecauseTheLauncherBuiltJars", discarded);
            report.detail("measurements", det);
            lab.stopDaemon(last);
        }
    }
}
