package dev.loxiharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The kind backend is not implemented: a class selected for it is skipped, saying why, and nothing runs. */
class KindBackendTest {
    @Topology("seed.yaml")
    static class OnKind {
        static int ran;

        @Test
        void anything(TopologyHandle topo) {
            ran++;
        }
    }

    @Test
    void classesOnKindAreSkippedWithTheReason() {
        String before = System.getProperty(Settings.BACKEND);
        System.setProperty(Settings.BACKEND, "kind");
        try {
            Events containers = EngineTestKit.engine("junit-jupiter").selectors(selectClass(OnKind.class)).execute().containerEvents();
            Event skipped = containers.skipped().stream().findFirst().orElseThrow(() -> new AssertionError("not skipped: " + containers.list()));
            String reason = skipped.getPayload(String.class).orElse("");
            assertThat(reason).startsWith("kind backend").contains("not implemented yet");
            assertThat(OnKind.ran).isZero();
        } finally {
            if (before == null) {
                System.clearProperty(Settings.BACKEND);
            } else {
                System.setProperty(Settings.BACKEND, before);
            }
        }
    }
}
