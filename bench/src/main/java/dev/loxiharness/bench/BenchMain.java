package dev.loxiharness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loxiharness.console.Progress;
import dev.loxiharness.exec.Host;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bench/run [NAME...]}: runs the named benchmarks (all by default), writes each one's figures to
 * {@code bench/results/<name>-<timestamp>.json} and prints one table, every figure beside its
 * baseline from the same run. Exit 0 when every benchmark ran (targets missed or not), 1 when one
 * failed, 2 on bad arguments.
 */
public final class BenchMain {
    static final List<Benchmark> ALL = List.of(new RulesBench(), new TrafficBench(), new StartupBench(),
            new LoxicmdBench(), new TopologyBench(), new KubernetesBench(), new ContainersBench(), new KindBench(), new FaultsBench(),
            new ScaleBench());

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true"); // the charts are drawn with no display
        if (args.length > 0 && args[0].equals("--html-only")) {
            System.exit(htmlOnly(Env.repository(), List.of(args).subList(1, args.length)));
        }
        List<Benchmark> chosen = new ArrayList<>();
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                return;
            }
            Benchmark b = ALL.stream().filter(x -> x.name.equals(a)).findFirst().orElse(null);
            if (b == null) {
                System.err.println("bench: unknown benchmark '" + a + "'");
                usage();
                System.exit(2);
            }
            if (!chosen.contains(b)) {
                chosen.add(b);
            }
        }
        if (chosen.isEmpty()) {
            chosen.addAll(ALL);
        }
        if (!Host.isRoot()) {
            System.err.println("bench: needs root (network namespaces, nft)");
            System.exit(2);
        }
        Env env = Env.detect();
        Path results = env.root().resolve("bench/results");
        Files.createDirectories(results);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        List<Benchmark.Report> reports = new ArrayList<>();
        List<Path> written = new ArrayList<>();
        boolean failed = false;
        for (Benchmark b : chosen) {
            System.out.println("== " + b.name + ": " + b.description);
            Benchmark.Report r = new Benchmark.Report(b.name);
            String loadBefore = loadavg();
            long t0 = System.nanoTime();
            String error = null;
            try (Progress.Task running = env.progress().start(b.name)) {
                b.run(env, r);
            } catch (Exception | AssertionError e) {
                failed = true;
                error = e.toString();
                r.fail("benchmark", e.getMessage() == null ? e.toString() : e.getMessage());
                StringWriter sw = new StringWriter();
                e.printStackTrace(new PrintWriter(sw));
                r.detail("stackTrace", sw.toString());
                System.out.println("   failed: " + error);
            }
            double took = (System.nanoTime() - t0) / 1e9;
            System.out.printf("   done in %.1f s%n", took);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("bench", b.name);
            doc.put("description", b.description);
            doc.put("timestamp", stamp);
            doc.put("seconds", took);
            doc.put("machine", machine());
            doc.put("loadavgBefore", loadBefore);
            doc.put("loadavgAfter", loadavg());
            doc.put("figures", r.figures.stream().map(Figure::json).toList());
            doc.put("notes", r.notes);
            doc.put("details", r.details);
            if (error != null) {
                doc.put("error", error);
            }
            Path file = results.resolve(b.name + "-" + stamp + ".json");
            json.writeValue(file.toFile(), doc);
            written.add(file);
            page(new ResultsFolder(results), file).ifPresent(written::add);
            reports.add(r);
        }
        String load = loadavg();
        System.out.println();
        System.out.print(Table.render(reports));
        System.out.println("load average at the end: " + load + " (on " + Runtime.getRuntime().availableProcessors()
                + " CPUs; anything else running shows in the figures)");
        System.out.println();
        for (Path p : written) {
            System.out.println("wrote " + env.root().relativize(p));
        }
        System.exit(failed ? 1 : 0);
    }

    /**
     * {@code bench/run --html-only [NAME | FILE.json]...}: (re)writes the page of each given run, or of
     * the newest run of each named benchmark (default: every benchmark with results), running nothing.
     */
    static int htmlOnly(Path root, List<String> which) {
        ResultsFolder folder = new ResultsFolder(root.resolve("bench/results"));
        List<Path> runs = new ArrayList<>();
        for (String w : which.isEmpty() ? List.copyOf(folder.benches()) : which) {
            if (w.endsWith(".json")) {
                Path f = Path.of(w).toAbsolutePath();
                if (!Files.isRegularFile(f)) {
                    System.err.println("bench: no such results file " + w);
                    return 2;
                }
                runs.add(f);
            } else {
                Optional<Run> newest = folder.newest(w);
                if (newest.isEmpty()) {
                    System.err.println("bench: no results of '" + w + "' in " + folder.dir() + " ("
                            + (folder.benches().isEmpty() ? "none yet" : "there are: " + String.join(", ", folder.benches())) + ")");
                    return 2;
                }
                runs.add(newest.get().file());
            }
        }
        if (runs.isEmpty()) {
            System.err.println("bench: no results in " + folder.dir() + " yet: bench/run NAME writes them");
            return 2;
        }
        for (Path f : runs) {
            Optional<Path> page = page(new ResultsFolder(f.getParent()), f);
            if (page.isEmpty()) {
                return 1;
            }
            System.out.println("wrote " + page.get());
        }
        return 0;
    }

    /** The page beside a run's JSON; a page that cannot be made is said, not fatal to the run. */
    private static Optional<Path> page(ResultsFolder folder, Path json) {
        try {
            return Optional.of(ResultsPage.write(folder, Run.read(json)));
        } catch (RuntimeException e) {
            System.err.println("bench: no page for " + json.getFileName() + ": " + e);
            return Optional.empty();
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("kernel", System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.version"));
        return m;
    }

    /** /proc/loadavg: other jobs on the machine show up here, and in the spread of the figures. */
    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return "?";
        }
    }

    private static void usage() {
        System.out.println("usage: bench/run [--yes] [NAME...]   (default: all)");
        System.out.println("       bench/run --html-only [NAME | FILE.json]...   (re)writes the pages of earlier runs, running nothing");
        for (Benchmark b : ALL) {
            System.out.printf("  %-8s %s%n", b.name, b.description);
        }
        System.out.println("results: bench/results/<name>-<timestamp>.json, and its page with charts <name>-<timestamp>.html");
    }
}
