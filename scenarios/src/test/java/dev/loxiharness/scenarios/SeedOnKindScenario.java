package dev.loxiharness.scenarios;

import dev.loxiharness.junit.Topology;
import io.qameta.allure.Feature;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * {@link SeedServiceScenario} and {@link SeedBgpScenario} again, nested, on one topology from
 * seed-kind.yaml: a kind cluster with real Calico, brought up once for both; skipped, naming
 * every missing image, where kindest/node or Calico's images are absent. Side by side with the other scenario classes (its topology and container names are its own).
 * Not run when {@code -Dloxiharness.topology} puts every scenario on one topology.
 */
@Topology("seed-kind.yaml")
@DisabledIfSystemProperty(named = "loxiharness.topology", matches = ".+", disabledReason = "-Dloxiharness.topology runs the seed's scenarios themselves on that topology")
@DisplayName("The seed on a kind cluster with real Calico (seed-kind.yaml)")
class SeedOnKindScenario {
    @Nested
    @Feature("seed section 3: the LoadBalancer Service through loxilb")
    @DisplayName("Seed section 3 on a kind cluster with real Calico (seed-kind.yaml)")
    class Section3 extends SeedServiceScenario {
    }

    @Nested
    @Feature("seed section 4: Calico BGP and loxilb")
    @DisplayName("Seed section 4 on a kind cluster with real Calico (seed-kind.yaml)")
    class Section4 extends SeedBgpScenario {
    }
}
