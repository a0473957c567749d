package dev.loxiharness.harness.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.harness.backend.Plan;
import dev.loxiharness.harness.model.TopologyLoader;
import dev.loxiharness.harness.state.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The netns plan of the seed files: the facts a reader checks before up, and nothing made. */
class NetnsPlanTest {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", "..")).toAbsolutePath().normalize();

    static Plan plan(String file, Map<String, String> set) {
        return new NetnsBackend().plan(TopologyLoader.load(HOME.resolve("topologies/" + file), set), HOME);
    }

    static String section(Plan p, String title) {
        return String.join("\n", p.section(title).orElseThrow(() -> new AssertionError("no section " + title)).lines());
    }

    @Test
    void seedSaysItsNamespacesAddressesDaemonsAndSessions() {
        Plan p = plan("seed.yaml", Map.of());
        assertThat(p.sections()).extracting(Plan.Section::title).containsExactly("topology", "networks", "nodes",
                "kubernetes (simulated)", "load balancer controller", "expected BGP sessions", "checks");
        assertThat(section(p, "topology")).contains("name prefix   lxh-seed:", "state folder  " + StateDir.of("seed"));
        assertThat(section(p, "networks")).contains("namespace lxh-seed-lan",
                "k8snet     192.168.57.0/24    bridge k8snet: node1 eth0 192.168.57.101/24 (port v0), node2 eth0 192.168.57.102/24 (port v1),"
                        + " lb eth1 192.168.57.4/24 (port v3)");
        String nodes = section(p, "nodes");
        assertThat(nodes).contains("lb: namespace lxh-seed-lb", "interface  eth1 192.168.57.4/24 on k8snet (MAC 02:42:c0:a8:39:04",
                "loopback   lo up, 172.1.0.2/32", "route      default via 192.168.57.4");
        // loxilb as LoxilbRole starts it in a namespace: its config path and gobgpd's config moved into the state folder
        Path lb = StateDir.of("seed").resolve("nodes/lb");
        assertThat(nodes).contains("daemon     loxilb: loxilb --host=0.0.0.0 -b --config-path=" + lb.resolve("etc/loxilb") + "/ --gobgp-config="
                + lb.resolve("opt/loxilb/gobgp_loxilb.yaml"));
        assertThat(nodes).contains("daemon     bird: bird -f -c " + StateDir.of("seed").resolve("nodes/router/etc/bird/bird.conf"));
        assertThat(nodes).contains("daemon     controller: ", "--mode=ccm");
        assertThat(section(p, "kubernetes (simulated)")).contains("service CIDR  10.233.0.0/18", "calico        AS 64512, node-to-node mesh on",
                "BGPPeer my-global-peers2: calico-node peers with 192.168.57.4 AS 65002", "Service default/nginx-service: LoadBalancer");
        assertThat(section(p, "load balancer controller")).contains("apiServerURL  http://192.168.57.4:11111", "externalCIDR  123.123.123.15/24");
    }

    @Test
    void copiedManifestsAreAppliedServerSideFromOneExpandedFileInTheStateFolder() {
        String k = section(plan("scale.yaml", Map.of("kubernetes.manifests[2].copies", "20")), "kubernetes (simulated)");
        assertThat(k).contains("kubectl apply -f " + HOME.resolve("topologies/calico-bgp-config.yaml"),
                "kubectl apply --server-side -f " + StateDir.of("scale").resolve("scale-services-x20.yaml"),
                "Service default/scale-${i} x20 (${i} = 1..20): LoadBalancer",
                "Pod default/scale-web-${i} x4 (${i} = 1..4): scheduled to the node with the fewest pods",
                "node          node4 InternalIP 192.168.57.104");
    }

    @Test
    void sessionsAreThePairsThatNameEachOther() {
        List<String> sessions = plan("seed.yaml", Map.of()).section("expected BGP sessions").orElseThrow().lines();
        assertThat(sessions).containsExactly(
                "node1 192.168.57.101 AS 64512 (BIRD, Calico mesh) <-> node2 192.168.57.102 AS 64512 (BIRD, Calico mesh): iBGP,"
                        + " configured on both ends: expected Established",
                "node1 192.168.57.101 AS 64512 (BIRD, Calico BGPPeer my-global-peers2) <-> lb 192.168.57.4 AS 65002 (gobgpd): eBGP,"
                        + " configured on both ends: expected Established",
                "node2 192.168.57.102 AS 64512 (BIRD, Calico BGPPeer my-global-peers2) -> 192.168.57.4 AS 65002: eBGP,"
                        + " lb has no neighbour 192.168.57.102: not expected to establish",
                "lb 192.168.20.4 AS 65002 (gobgpd) <-> router 192.168.20.55 AS 64001 (BIRD): eBGP, configured on both ends: expected Established");
    }

    @Test
    void seedDockerRunsLoxilbAsTheContainerLoxilbWithNetAdminAndNetRaw() {
        Plan p = plan("seed-docker.yaml", Map.of());
        String nodes = section(p, "nodes");
        assertThat(nodes).contains("lb: container loxilb (loxiharness/loxilb)",
                "docker create --name loxilb --hostname loxilb --network none --restart unless-stopped --cap-add NET_ADMIN --cap-add NET_RAW"
                        + " --sysctl net.ipv4.ip_forward=1",
                "its network namespace is named lxh-seed-docker-lb once it runs",
                "process 1  loxilb: loxilb --host=0.0.0.0 -b\n",
                "file       /opt/loxilb/gobgp_loxilb.yaml (11 lines, copied in before it starts)",
                "interface  eth0 192.168.20.4/24 on llbnet", "interface  eth1 192.168.57.4/24 on k8snet");
        assertThat(nodes).doesNotContain("--privileged");
        assertThat(section(p, "images")).startsWith("lb: loxiharness/loxilb = built from this checkout, loxiharness/loxilb:")
                .containsAnyOf(": present", ": missing", ": Docker engine not running: presence unknown");
        assertThat(section(p, "expected BGP sessions")).contains("192.168.57.101 AS 64512", "lb 192.168.57.4 AS 65002 (gobgpd)");
    }

    @Test
    void setOverridesAreWhatThePlanShows() {
        String nodes = section(plan("seed-docker.yaml", Map.of("nodes.lb.image", "ghcr.io/loxilb-io/loxilb:latest",
                "nodes.lb.container.privileged", "true")), "nodes");
        assertThat(nodes).contains("--cap-add NET_ADMIN --cap-add NET_RAW --privileged", "container loxilb (ghcr.io/loxilb-io/loxilb:latest)");
    }

    @Test
    void planningMakesNoStateFolder() {
        plan("seed-docker.yaml", Map.of()).render();
        assertThat(StateDir.of("seed-docker")).doesNotExist();
        assertThat(Files.exists(StateDir.ROOT.resolve("seed-docker"))).isFalse();
    }
}
