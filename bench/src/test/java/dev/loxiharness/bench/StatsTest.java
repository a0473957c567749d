package dev.loxiharness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void quantilesInterpolateBetweenTheNearestSamplesWhateverTheirOrder() {
        List<Double> xs = List.of(4.0, 1.0, 3.0, 2.0);
        assertThat(Stats.quantile(xs, 0.0)).isEqualTo(1.0);
        assertThat(Stats.quantile(xs, 1.0)).isEqualTo(4.0);
        assertThat(Stats.quantile(xs, 0.5)).isEqualTo(Stats.median(xs)).isEqualTo(2.5);
        assertThat(Stats.quantile(xs, 0.25)).isCloseTo(1.75, within(1e-12));
        assertThat(Stats.quantile(xs, 0.75)).isCloseTo(3.25, within(1e-12));
        assertThat(Stats.quantile(List.of(7.0), 0.25)).isEqualTo(7.0);
        assertThatThrownBy(() -> Stats.quantile(List.of(), 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
