package dev.loxiharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.exec.Host;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SettingsTest {
    static final Path HOME = Host.home();

    @Test
    void topologyFilesByNameOrPath() {
        assertThat(Settings.topologyFile("seed.yaml", HOME)).isEqualTo(HOME.resolve("topologies/seed.yaml"));
        assertThat(Settings.topologyFile("seed-l2", HOME)).isEqualTo(HOME.resolve("topologies/seed-l2.yaml"));
        assertThat(Settings.topologyFile("src/test/resources/tiny.yaml", HOME)).isEqualTo(Path.of("src/test/resources/tiny.yaml").toAbsolutePath());
        assertThatThrownBy(() -> Settings.topologyFile("nope.yaml", HOME)).hasMessageContaining("no topology file nope.yaml");
    }

}
