package dev.loxiharness.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.harness.backend.Plan;
import dev.loxiharness.harness.model.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KindPlanTest {

    @Test
    void thePlanOfSeedKindShowsTheKindNodesTheRenderedConfigsAndTheSessionsAndMakesNothing() {
        Plan p = new KindBackend().plan(TopologyLoader.load(Path.of("../topologies/seed-kind.yaml")), Path.of(".."));
        String nodes = String.join("\n", p.section("nodes").orElseThrow().lines());
        assertThat(nodes).contains("docker create --name seed-kind-node1").contains("--privileged").contains("--cgroupns=private")
                .contains("--volume /lib/modules:/lib/modules:ro").doesNotContain("controller.jar").doesNotContain("socat");
        assertThat(String.join("\n", p.section("kubeadm (/kind/kubeadm.conf per node)").orElseThrow().lines()))
                .contains("kind: InitConfiguration").contains("kind: JoinConfiguration").contains("node-ip: 192.168.57.102");
        assertThat(String.join("\n", p.section("calico").orElseThrow().lines()))
                .contains("CALICO_IPV4POOL_IPIP=Never").contains("IP_AUTODETECTION_METHOD=cidr=192.168.57.0/24")
                .contains("kind: BGPPeer").contains("peerIP: 192.168.57.4");
        assertThat(String.join("\n", p.section("expected BGP sessions").orElseThrow().lines()))
                .contains("node1 192.168.57.101 AS 64512 (BIRD, Calico BGPPeer my-global-peers2) <-> lb 192.168.57.4 AS 65002");
        assertThat(String.join("\n", p.section("load balancer controller").orElseThrow().lines()))
                .contains("kubernetes.io/hostname: \"seed-kind-node1\"").contains("imagePullPolicy: \"Never\"");
        assertThat(Files.exists(Path.of(System.getProperty("loxiharness.state", "/run/loxiharness"), "seed-kind"))).isFalse();
    }
}
