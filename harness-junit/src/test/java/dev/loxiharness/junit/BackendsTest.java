package dev.loxiharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {
    @Test
    void netnsSaysWhatIsMissing(@TempDir Path emptyHome) {
        String why = Backends.whyNotNetns(emptyHome).orElse("");
        if (Backends.isRoot()) {
            Assumptions.assumeTrue(Backends.NETNS_TOOLS.stream().allMatch(Backends::onPath), "tools missing here: " + why);
            assertThat(why).isEqualTo("netns backend: not built: loxilb/target/loxilb.jar, controller/target/controller.jar"
                    + " (run bin/build, or mvn verify from the repository root)");
        } else {
            assertThat(why).startsWith("netns backend: network namespaces need root");
        }
    }

    @Test
    void anUnknownBackendIsAnError() {
        assertThatThrownBy(() -> Backends.whyNot("docker", Path.of("."))).hasMessageContaining("unknown backend 'docker'");
    }

    @Test
    void kindNamesWhatIsMissing() {
        assertThat(Backends.whyNotKind(java.util.List.of("kindest/node", "calico/node")))
                .startsWith("kind backend").contains("not implemented yet");
    }
}
