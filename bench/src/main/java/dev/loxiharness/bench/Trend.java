package dev.loxiharness.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One figure of a run against the earlier runs of its benchmark: the points to chart (value and
 * baseline per run, this run last), the previous run's value, the noise, and whether the figure got
 * worse than the previous run by more than that noise.
 *
 * <p>The noise is the spread (highest minus lowest) of the figure over the last
 * {@value #SPREAD_RUNS} earlier runs, at least {@value #FLOOR_PERCENT} % of the previous value; with
 * fewer than {@value #MIN_RUNS_FOR_SPREAD} earlier runs the spread is not known yet and
 * {@value #UNKNOWN_PERCENT} % of the previous value stands in for it. Worse is higher, except for
 * figures where higher is better ({@link Figure#higherIsBetter()}).
 *
 * @param points        the earlier runs that have this figure (at most {@value #SHOWN}), then this run
 * @param previous      the figure in the latest earlier run that measured it, or null
 * @param previousRun   that run, or null
 * @param noiseBasis    how {@code noise} was found, in words
 */
record Trend(Figure figure, List<Point> points, Double previous, Run previousRun, double noise, String noiseBasis,
             boolean worse) {
    static final int SHOWN = 12;
    static final int SPREAD_RUNS = 5;
    static final int MIN_RUNS_FOR_SPREAD = 3;
    static final int FLOOR_PERCENT = 5;
    static final int UNKNOWN_PERCENT = 10;

    /** A run's value and baseline of the figure (null where that run could not measure it). */
    record Point(String run, Double value, Double baseline, boolean current) {
    }

    static Trend of(Run run, Figure figure, List<Run> earlier) {
        List<Point> points = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        Run previousRun = null;
        for (Run r : earlier) {
            Figure f = r.figures().stream().filter(x -> x.key().equals(figure.key())).findFirst().orElse(null);
            if (f == null) {
                continue;
            }
            points.add(new Point(r.shortWhen(), f.value(), f.baseline(), false));
            if (f.value() != null) {
                values.add(f.value());
                previousRun = r;
            }
        }
        List<Point> shown = new ArrayList<>(points.subList(Math.max(0, points.size() - SHOWN), points.size()));
        shown.add(new Point(run.shortWhen(), figure.value(), figure.baseline(), true));

        Double previous = values.isEmpty() ? null : values.get(values.size() - 1);
        double noise = 0;
        String basis = "no earlier run measured it";
        if (previous != null) {
            if (values.size() >= MIN_RUNS_FOR_SPREAD) {
                List<Double> recent = values.subList(Math.max(0, values.size() - SPREAD_RUNS), values.size());
                double spread = recent.stream().mapToDouble(Double::doubleValue).max().orElseThrow()
                        - recent.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                double floor = FLOOR_PERCENT / 100.0 * Math.abs(previous);
                noise = Math.max(spread, floor);
                basis = spread >= floor ? "spread of the last " + recent.size() + " earlier runs"
                        : FLOOR_PERCENT + " % of the previous value (the last " + recent.size() + " earlier runs spread less)";
            } else {
                noise = UNKNOWN_PERCENT / 100.0 * Math.abs(previous);
                basis = UNKNOWN_PERCENT + " % of the previous value (fewer than " + MIN_RUNS_FOR_SPREAD
                        + " earlier runs to measure the spread on)";
            }
        }
        boolean worse = figure.value() != null && previous != null
                && (figure.higherIsBetter() ? previous - figure.value() : figure.value() - previous) > noise;
        return new Trend(figure, shown, previous, previousRun, noise, basis, worse);
    }

    /** This run against the previous one, as a fraction (0.25 = 25 % more); null when either is missing or zero. */
    Double change() {
        return figure.value() == null || previous == null || previous == 0 ? null : figure.value() / previous - 1;
    }

    boolean hasHistory() {
        return points.stream().anyMatch(p -> !p.current() && p.value() != null);
    }

    boolean hasBaseline() {
        return points.stream().map(Point::baseline).anyMatch(Objects::nonNull);
    }
}
