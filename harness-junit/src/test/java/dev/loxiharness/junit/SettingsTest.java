package dev.loxiharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.exec.Host;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyLoader;
import java.nio.file.Path;
import java.util.Map;
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

    @Test
    void aTestsTopologyAndTheContainersItsFileNamesGetTheSameSuffix() {
        Path file = HOME.resolve("topologies/seed-docker.yaml");
        Topology t = TopologyLoader.load(file, TopologyExtension.Running.uniqueNames(TopologyLoader.load(file, Map.of())));
        String suffix = t.name().substring(t.name().lastIndexOf('-'));

        assertThat(t.name()).matches("seed-doc-[a-z0-9]{3}");
        assertThat(t.nodes().get("lb").container().name()).isEqualTo("loxilb" + suffix);
        assertThat(t.nodes().values()).filteredOn(n -> n != t.nodes().get("lb")).allSatisfy(n ->
                assertThat(n.container() == null || n.container().name() == null).as("a container the file does not name").isTrue());
    }
}
