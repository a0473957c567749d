package dev.loxiharness.scenarios;

import dev.loxiharness.junit.Topology;
import io.qameta.allure.Feature;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The seed document's checks of sections 3 and 4 ({@link SeedServiceScenario}, {@link
 * SeedBgpScenario}), nested, on one seed.yaml topology: they only look, so they share it.
 * {@code -Dloxiharness.topology} runs them on another file (section 4 skips itself where loxilb
 * runs without BGP, as on seed-l2.yaml).
 */
@Topology("seed.yaml")
@DisplayName("The seed: sections 3 and 4 on one topology")
class SeedScenario {
    @Nested
    @Feature("seed section 3: the LoadBalancer Service through loxilb")
    @DisplayName("Seed section 3: the LoadBalancer Service through loxilb")
    class Section3 extends SeedServiceScenario {
    }

    @Nested
    @EnabledIf(value = "loxilbRunsBgp", disabledReason = "section 4 needs loxilb in BGP mode (seed.yaml); the selected topology runs it without")
    @Feature("seed section 4: Calico BGP and loxilb")
    @DisplayName("Seed section 4: Calico BGP and loxilb")
    class Section4 extends SeedBgpScenario {
    }
}
