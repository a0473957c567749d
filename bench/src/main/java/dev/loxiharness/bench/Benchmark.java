package dev.loxiharness.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One named benchmark: it fills a report with figures (for the table) and details (for the JSON). */
abstract class Benchmark {
    /** What it is called on the command line and in the results' file names. */
    final String name;
    /** One line on what it measures, for the usage text and the JSON. */
    final String description;

    Benchmark(String name, String description) {
        this.name = name;
        this.description = description;
    }

    abstract void run(Env env, Report report) throws Exception;

    /** Starts the project's Docker engine when none answers ({@code bin/start-docker}); false, with the failure reported, if it cannot. */
    static boolean dockerEngine(Env env, Report report) {
        Procs.Timed engine = Procs.run(List.of(env.root().resolve("bin/start-docker").toString()), null, Duration.ofSeconds(90));
        if (!engine.ok()) {
            report.fail("Docker engine", "bin/start-docker: " + TopologyBench.tail(engine.result()));
        }
        return engine.ok();
    }

    /** What one benchmark produced, also when it failed half-way. */
    static final class Report {
        final String bench;
        final List<Figure> figures = new ArrayList<>();
        final Map<String, Object> details = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();

        Report(String bench) {
            this.bench = bench;
        }

        Figure add(String label, double value, String unit, Double baseline, String baselineLabel, String target,
                   Boolean met) {
            Figure f = Figure.of(bench, label, value, unit, baseline, baselineLabel, target, met);
            figures.add(f);
            return f;
        }

        void fail(String label, String why) {
            figures.add(Figure.failed(bench, label, why));
        }

        /** A line printed under the table (how a figure was taken, what to keep in mind). */
        void note(String line) {
            notes.add(line);
        }

        void detail(String key, Object value) {
            details.put(key, value);
        }
    }
}
