package dev.loxiharness.harness.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.model.TopologyException;
import dev.loxiharness.harness.model.TopologyLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KindTopologyTest {
    private static final Path FILE = Path.of("../topologies/seed-kind.yaml");

    @Test
    void kubernetesNodesBecomeKindNodeContainersWithKindsSettingsAndTheRestStaysAsItIs() {
        Topology seed = TopologyLoader.load(FILE);
        Topology t = KindTopology.expand(seed);
        Topology.Node node1 = t.nodes().get("node1");
        assertThat(node1.image()).isEqualTo("kindest/node:v1.32.2");
        assertThat(node1.roles()).containsExactly(ClusterLayout.CONTROL_PLANE_ROLE);
        assertThat(t.nodes().get("node2").roles()).containsExactly(ClusterLayout.WORKER_ROLE);
        Topology.Container c = node1.container();
        assertThat(c.name()).isEqualTo("seed-kind-node1");
        assertThat(c.privileged()).isTrue();
        assertThat(c.cgroupns()).isEqualTo("private");
        assertThat(c.securityOpt()).containsExactly("seccomp=unconfined", "apparmor=unconfined");
        assertThat(c.tmpfs()).containsExactly("/tmp", "/run");
        assertThat(c.volumes()).containsExactly("/var", "/lib/modules:/lib/modules:ro", KindTopology.imagesDir("seed-kind") + ":/kind/images:ro");
        assertThat(node1.interfaces()).isEqualTo(seed.nodes().get("node1").interfaces());
        assertThat(node1.routes()).isEqualTo(seed.nodes().get("node1").routes());
        assertThat(t.nodes().get("lb")).isEqualTo(seed.nodes().get("lb"));
        assertThat(t.nodes().get("router")).isEqualTo(seed.nodes().get("router"));
        assertThat(ClusterLayout.of(t)).isEqualTo(ClusterLayout.of(seed));
    }

    @Test
    void aClusterNeedsAControlPlaneAndAVersionedNodeImage() {
        Topology noCp = TopologyLoader.load(FILE, Map.of("nodes.node1.roles", "[calico-node]"));
        assertThatThrownBy(() -> ClusterLayout.of(noCp)).hasMessageContaining("no node has the control-plane role");
        assertThatThrownBy(() -> TopologyLoader.load(FILE, Map.of("kubernetes.kind.nodeImage", "kindest/node:latest")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("nodeImage");
    }
}
