package dev.loxiharness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendTest {
    static Figure seconds(double v) {
        return Figure.of("b", "up", v, "s", null, null, null, null);
    }

    static Run run(int hour, Figure... figures) {
        String stamp = String.format("20261201-%02d0000", hour);
        return new Run(Path.of("b-" + stamp + ".json"), "b", "", stamp, 1, "", "", "", List.of(figures), List.of(), null);
    }

    static List<Run> earlier(double... values) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            runs.add(run(i, seconds(values[i])));
        }
        return runs;
    }

    @Test
    void theNoiseIsTheSpreadOfTheLastFiveEarlierRuns() {
        // 20 s long ago is out of the window; 10..11 s is the spread
        Trend t = Trend.of(run(9, seconds(11.5)), seconds(11.5), earlier(20, 10, 10.5, 11, 10.2, 10.8));
        assertThat(t.previous()).isEqualTo(10.8);
        assertThat(t.noise()).isCloseTo(1.0, within(1e-9));
        assertThat(t.worse()).isFalse();
        assertThat(Trend.of(run(9, seconds(11.9)), seconds(11.9), earlier(20, 10, 10.5, 11, 10.2, 10.8)).worse()).isTrue();
    }

    @Test
    void withFewEarlierRunsTenPercentStandsInForTheNoise() {
        Trend t = Trend.of(run(9, seconds(10.9)), seconds(10.9), earlier(10));
        assertThat(t.noise()).isCloseTo(1.0, within(1e-9));
        assertThat(t.noiseBasis()).startsWith("10 %");
        assertThat(t.worse()).isFalse();
        assertThat(Trend.of(run(9, seconds(11.1)), seconds(11.1), earlier(10)).worse()).isTrue();
    }

    @Test
    void aSteadyFigureStillHasAFloorOfFivePercent() {
        Trend t = Trend.of(run(9, seconds(10.4)), seconds(10.4), earlier(10, 10, 10));
        assertThat(t.noise()).isCloseTo(0.5, within(1e-9));
        assertThat(t.worse()).isFalse();
    }

    @Test
    void higherIsBetterForThroughput() {
        Figure rps = Figure.of("b", "req/s", 800, "req/s", null, null, null, null);
        Run before = run(1, Figure.of("b", "req/s", 1000, "req/s", null, null, null, null));
        assertThat(Trend.of(run(2, rps), rps, List.of(before)).worse()).isTrue();
        Figure more = Figure.of("b", "req/s", 1500, "req/s", null, null, null, null);
        assertThat(Trend.of(run(2, more), more, List.of(before)).worse()).isFalse();
    }

    @Test
    void aRemarkInBracketsDoesNotSplitTheHistory() {
        Figure noisy = Figure.of("b", "up [noisy]", 10, "s", null, null, null, null);
        Trend t = Trend.of(run(9, seconds(10)), seconds(10), List.of(run(1, noisy)));
        assertThat(t.previous()).isEqualTo(10);
        assertThat(t.points()).hasSize(2);
    }

    @Test
    void aFailedRunLeavesAGapAndThePreviousIsTheLastMeasured() {
        List<Run> runs = new ArrayList<>(earlier(10, 12));
        runs.add(run(5, Figure.failed("b", "up", "timed out")));
        Trend t = Trend.of(run(9, seconds(12.5)), seconds(12.5), runs);
        assertThat(t.previous()).isEqualTo(12);
        assertThat(t.previousRun().timestamp()).isEqualTo("20261201-010000");
        assertThat(t.points()).extracting(Trend.Point::value).containsExactly(10.0, 12.0, null, 12.5);
        assertThat(t.worse()).isFalse();
    }
}
