package dev.loxiharness.harness.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TopologyLoaderTest {
    static final Path HOME = Path.of(System.getProperty("loxiharness.home", ".."));
    static final Path SEED = HOME.resolve("topologies/seed.yaml");

    static Topology parse(String yaml) {
        return TopologyLoader.parse(yaml, HOME.resolve("topologies/test.yaml"));
    }

    static String seedText() throws Exception {
        return java.nio.file.Files.readString(SEED);
    }

    @Test
    void theSettingsChangedOnTopOfTheFileAreKeptWithTheTopology() {
        Topology t = TopologyLoader.load(SEED, Map.of("nodes.lb.image", "loxiharness/loxilb"));
        assertThat(t.nodes().get("lb").isContainer()).isTrue();
        assertThat(t.settings()).containsExactly(Map.entry("nodes.lb.image", "loxiharness/loxilb"));
        assertThat(t.withName("other").settings()).isEqualTo(t.settings());
        assertThat(TopologyLoader.load(SEED).settings()).isEmpty();
    }

    @RepeatedTest(20)
    void uniqueNamesFitTheSchemaAndLoadAsNames() {
        assertThat(Topology.uniqueName("seed")).matches("seed-[a-z0-9]{3}");
        assertThat(Topology.uniqueName("averylongname")).matches("averylon-[a-z0-9]{3}").hasSizeLessThanOrEqualTo(Topology.MAX_NAME);
        assertThat(Topology.uniqueName("seed-l2-x")).matches("seed-l2-[a-z0-9]{3}");
        Topology unique = TopologyLoader.load(SEED).withUniqueName();
        assertThat(TopologyLoader.load(SEED, Map.of("name", unique.name())).name()).isEqualTo(unique.name());
    }

    @Test
    void seedIsTheSeedDocumentsSetup() {
        Topology t = TopologyLoader.load(SEED);
        assertThat(t.name()).isEqualTo("seed");
        assertThat(t.nodes().get("lb").interfaces()).extracting(Topology.Interface::address)
                .containsExactly("192.168.20.4/24", "192.168.57.4/24");
        assertThat(t.nodes().get("lb").loopback()).containsExactly("172.1.0.2/32");
        assertThat(t.nodes().get("lb").loxilb().args()).containsExactly("--host=0.0.0.0", "-b");
        assertThat(t.nodes().get("lb").loxilb().gobgpConfig()).contains("as: 65002", "router-id: 172.1.0.2",
                "neighbor-address: 192.168.57.101", "peer-as: 64512", "neighbor-address: 192.168.20.55", "peer-as: 64001");
        assertThat(t.nodes().get("router").bgp().as()).isEqualTo(64001);
        assertThat(t.nodes().get("node1").calico().blocks()).containsExactly("10.233.71.0/26", "10.233.102.128/26");
        assertThat(t.nodes().get("node2").calico().blocks()).containsExactly("10.233.74.64/26", "10.233.75.0/26");
        assertThat(t.kubernetes().serviceCidr()).isEqualTo("10.233.0.0/18");
        assertThat(t.kubernetes().calico().asNumber()).isEqualTo(64512);
        assertThat(t.loadBalancer().controller().externalCidr()).isEqualTo("123.123.123.15/24");
        assertThat(t.loadBalancer().controller().apiServerUrl()).containsExactly("http://192.168.57.4:11111");
    }

    @Test
    void everyTopologyFileLoads() {
        assertThat(TopologyLoader.load(HOME.resolve("topologies/seed-l2.yaml")).name()).isEqualTo("seed-l2");
        Topology docker = TopologyLoader.load(HOME.resolve("topologies/seed-docker.yaml"));
        assertThat(docker.nodes().get("lb").isContainer()).isTrue();
        assertThat(docker.nodes().get("lb").container().name()).isEqualTo("loxilb");
        assertThat(docker.nodes().get("lb").interfaces()).isEqualTo(TopologyLoader.load(SEED).nodes().get("lb").interfaces());
    }

    @Test
    void setChangesTheFileBeforeItIsValidated() {
        Topology t = TopologyLoader.load(HOME.resolve("topologies/seed-docker.yaml"), Map.of(
                "nodes.lb.image", "ghcr.io/loxilb-io/loxilb:latest",
                "nodes.lb.container.privileged", "true",
                "kubernetes.calico.asNumber", "64513"));
        assertThat(t.nodes().get("lb").image()).isEqualTo("ghcr.io/loxilb-io/loxilb:latest");
        assertThat(t.nodes().get("lb").container().privileged()).isTrue();
        assertThat(t.nodes().get("lb").container().name()).isEqualTo("loxilb");
        assertThat(t.kubernetes().calico().asNumber()).isEqualTo(64513);
        Topology seed = TopologyLoader.load(SEED, Map.of("nodes.lb.image", "loxiharness/loxilb"));
        assertThat(seed.nodes().get("lb").isContainer()).isTrue();
    }

    @Test
    void setIsValidatedLikeTheFile() {
        assertThatThrownBy(() -> TopologyLoader.load(SEED, Map.of("nodes.lb.interfaces.x", "1")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("nodes.lb.interfaces is not a mapping");
        assertThatThrownBy(() -> TopologyLoader.load(SEED, Map.of("kubernetes.calico.asNumber", "many")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("asNumber");
    }

    @Test
    void unknownFieldIsRejectedWithItsLine() throws Exception {
        String bad = seedText().replace("    loopback: [ 172.1.0.2/32 ]", "    loopbak: [ 172.1.0.2/32 ]");
        assertThatThrownBy(() -> parse(bad)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).singleElement().asString().startsWith("test.yaml:28: nodes.lb.loopbak:"));
    }

    @Test
    void unknownRoleIsRejectedWithItsLine() throws Exception {
        String bad = seedText().replace("roles: [client]", "roles: [cliant]");
        assertThatThrownBy(() -> parse(bad)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith("test.yaml:54: nodes.client.roles[0]:")
                        .contains("enum")));
    }

    @Test
    void unknownNetworkAndAddressConflictsAreNamed() throws Exception {
        String bad = seedText().replace("{ network: clientnet, address: 198.51.100.10/24 }",
                "{ network: clinet, address: 198.51.100.1/24 }");
        assertThatThrownBy(() -> parse(bad)).isInstanceOfSatisfying(TopologyException.class, e ->
                assertThat(e.problems()).containsExactlyInAnyOrder(
                        "test.yaml:55: nodes.client.interfaces[0].network: unknown network \"clinet\" (known: k8snet, llbnet, clientnet)",
                        "test.yaml:55: nodes.client.interfaces[0].address: 198.51.100.1 is already router's address"));
    }

    @Test
    void addressOutsideItsSubnetAndForeignBlocksAreNamed() throws Exception {
        String bad = seedText().replace("192.168.57.102/24", "192.168.58.102/24")
                .replace("10.233.74.64/26, 10.233.75.0/26", "10.233.74.64/26, 10.233.71.0/26");
        assertThatThrownBy(() -> parse(bad)).isInstanceOfSatisfying(TopologyException.class, e -> assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).contains("nodes.node2.interfaces[0].address: 192.168.58.102/24 is outside k8snet"))
                .anySatisfy(p -> assertThat(p).contains("nodes.node2.calico.blocks[1]: 10.233.71.0/26 belongs to two nodes")));
    }

    @Test
    void brokenYamlNamesItsLine() {
        assertThatThrownBy(() -> parse("name: x\nnodes: [\n")).isInstanceOfSatisfying(TopologyException.class,
                e -> assertThat(e.problems()).singleElement().asString().isEqualTo("test.yaml:2: not valid YAML: while parsing a flow node; expected the node content, but found '<stream end>'"));
    }
}
