package dev.loxiharness.scenarios;

import dev.loxiharness.junit.Topology;
import io.qameta.allure.Feature;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * {@link SeedServiceScenario} and {@link SeedBgpScenario} again, nested, on one topology from
 * seed-docker.yaml: loxilb as a Docker container; skipped, saying why, where no engine answers.
 * Side by side with the other scenario classes (its topology and container names are its own).
 * Not run when {@code -Dloxiharness.topology} puts every scenario on one topology.
 */
@Topology("seed-docker.yaml")
@DisabledIfSystemProperty(named = "loxiharness.topology", matches = ".+", disabledReason = "-Dloxiharness.topology runs the seed's scenarios themselves on that topology")
@DisplayName("The seed with loxilb as a Docker container (seed-docker.yaml)")
class SeedOnDockerScenario {
    @Nested
    @Feature("seed section 3: the LoadBalancer Service through loxilb")
    @DisplayName("Seed section 3 with loxilb as a Docker container (seed-docker.yaml)")
    class Section3 extends SeedServiceScenario {
    }

    @Nested
    @Feature("seed section 4: Calico BGP and loxilb")
    @DisplayName("Seed section 4 with loxilb as a Docker container (seed-docker.yaml)")
    class Section4 extends SeedBgpScenario {
    }
}
