package dev.loxiharness.controller.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.controller.config.Mode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointCalculatorTest {

    @Test
    void readyNodesAreAddressedByInternalIp() {
        List<Node> nodes = List.of(node(2, true), node(1, true), node(3, false));
        Service svc = web();
        assertThat(EndpointCalculator.endpointIps(svc, nodes, List.of())).containsExactly("192.168.57.101", "192.168.57.102");
    }

    @Test
    void excludedNodesAndNodesWithoutAddressAreLeftOut() {
        Node excluded = new NodeBuilder(node(2, true))
                .editMetadata().addToLabels(EndpointCalculator.EXCLUDE_LABEL, "").endMetadata().build();
        Node noAddress = new NodeBuilder(node(3, true))
                .editStatus().withAddresses(List.of()).endStatus().build();
        Node hostnameFirst = new NodeBuilder(node(4, true))
                .editStatus().withAddresses(List.of(
                        new NodeAddress("node4", "Hostname"),
                        new NodeAddress("10.1.1.4", "ExternalIP"),
                        new NodeAddress("192.168.57.104", "InternalIP"))).endStatus().build();
        List<Node> nodes = List.of(node(1, true), excluded, noAddress, hostnameFirst);
        Service svc = web();
        assertThat(EndpointCalculator.endpointIps(svc, nodes, List.of())).containsExactly("192.168.57.101", "192.168.57.104");
    }

    @Test
    void externalTrafficPolicyLocalKeepsOnlyNodesWithAReadyEndpoint() {
        List<Node> nodes = List.of(node(1, true), node(2, true), node(3, true));
        Service svc = TestObjects.local(web());
        EndpointSlice slice = TestObjects.slice("default", "web", "web-abc",
                TestObjects.endpoint("10.233.71.5", "node1", true),
                TestObjects.endpoint("10.233.74.70", "node2", false),
                TestObjects.endpoint("10.233.75.3", "node3", null));
        assertThat(EndpointCalculator.endpointIps(svc, nodes, List.of(slice))).containsExactly("192.168.57.101", "192.168.57.103");
        assertThat(EndpointCalculator.endpointIps(svc, nodes, List.of())).isEmpty();
        // Cluster policy ignores the slices
        Service cluster = web();
        assertThat(EndpointCalculator.endpointIps(cluster, nodes, List.of(slice))).hasSize(3);
    }

    @Test
    void weightsAreOneEachForKubeLoxilbAndTenSharedOutForLoxiCcm() {
        assertThat(EndpointCalculator.weights(Mode.KUBE_LOXILB, 3)).containsExactly(1, 1, 1);
        assertThat(EndpointCalculator.weights(Mode.CCM, 2)).containsExactly(5, 5);
        assertThat(EndpointCalculator.weights(Mode.CCM, 3)).containsExactly(4, 3, 3);
        assertThat(EndpointCalculator.weights(Mode.CCM, 1)).containsExactly(10);
        assertThat(EndpointCalculator.weights(Mode.CCM, 12)).allMatch(w -> w == 1);
        assertThat(EndpointCalculator.weights(Mode.CCM, 0)).isEmpty();
    }

    /** Node {@code node<i>} at InternalIP {@code 192.168.57.10<i>}. */
    private static Node node(int i, boolean ready) {
        return TestObjects.node("node" + i, "192.168.57.10" + i, ready);
    }

    /** LoadBalancer Service {@code default/web}, 8888 on NodePort 31655. */
    private static Service web() {
        return TestObjects.lbService("default", "web", null, 8888, 31655);
    }
}
