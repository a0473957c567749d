package dev.loxiharness.loxilb.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.loxilb.rules.HaState;
import dev.loxiharness.loxilb.rules.RuleException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterInstancesTest {

    @Test
    void aChangedStateIsAnnouncedOnceAndAnUnknownOneRefused() {
        ClusterInstances c = new ClusterInstances();
        List<String> seen = new ArrayList<>();
        c.onChange((instance, state) -> seen.add(instance + "=" + state));
        assertThat(c.state(ClusterInstances.DEFAULT)).isEqualTo(HaState.NOT_DEFINED);
        c.set(null, "BACKUP", null);
        c.set("llb-inst0", "BACKUP", "0.0.0.0");
        c.set("llb-inst0", "MASTER", "");
        assertThat(seen).containsExactly("llb-inst0=BACKUP", "llb-inst0=MASTER");
        assertThatThrownBy(() -> c.set("llb-inst0", "primary", null)).isInstanceOf(RuleException.class)
                .hasMessageContaining("invalid cluster-state");
        assertThat(c.state("llb-inst0")).isEqualTo(HaState.MASTER);
        assertThat(c.all()).extracting(ClusterInstances.Instance::vip).containsExactly("0.0.0.0");
    }
}
