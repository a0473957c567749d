package dev.loxiharness.scenarios;

import dev.loxiharness.junit.Topology;
import io.qameta.allure.Feature;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * {@link SeedServiceScenario} again on seed-docker.yaml: loxilb as a Docker container; skipped,
 * saying why, where no engine answers. Side by side with the other scenario classes (its topology
 * and container names are its own). Not run when {@code -Dloxiharness.topology} puts every
 * scenario on one topology.
 */
@Topology("seed-docker.yaml")
@DisabledIfSystemProperty(named = "loxiharness.topology", matches = ".+", disabledReason = "-Dloxiharness.topology runs SeedServiceScenario itself on that topology")
@Feature("seed section 3: the LoadBalancer Service through loxilb")
@DisplayName("Seed section 3 with loxilb as a Docker container (seed-docker.yaml)")
class SeedServiceOnDockerScenario extends SeedServiceScenario {
}
