package dev.loxiharness.scenarios;

import dev.loxiharness.junit.Topology;
import io.qameta.allure.Feature;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * {@link SeedBgpScenario} again on seed-kind.yaml: a kind cluster with real Calico; skipped,
 * naming every missing image, where kindest/node or Calico's images are absent. Side by side with
 * the other scenario classes (its topology and container names are its own). Not run when {@code
 * -Dloxiharness.topology} puts every scenario on one topology.
 */
@Topology("seed-kind.yaml")
@DisabledIfSystemProperty(named = "loxiharness.topology", matches = ".+", disabledReason = "-Dloxiharness.topology runs SeedBgpScenario itself on that topology")
@Feature("seed section 4: Calico BGP and loxilb")
@DisplayName("Seed section 4 on a kind cluster with real Calico (seed-kind.yaml)")
class SeedBgpOnKindScenario extends SeedBgpScenario {
}
