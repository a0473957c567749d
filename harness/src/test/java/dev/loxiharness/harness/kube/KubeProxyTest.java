package dev.loxiharness.harness.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class KubeProxyTest {
    static Service service(String etp) {
        return new ServiceBuilder().withNewMetadata().withName("nginx-service").withNamespace("default").endMetadata()
                .withNewSpec().withType("LoadBalancer").withClusterIP("10.233.0.2").withExternalTrafficPolicy(etp)
                .addNewPort().withName("web").withProtocol("TCP").withPort(8888).withTargetPort(new IntOrString("http-web-svc"))
                .withNodePort(31655).endPort().endSpec().build();
    }

    static EndpointSlice slice() {
        return new EndpointSliceBuilder().withNewMetadata().withName("nginx-service-sim").withNamespace("default")
                .addToLabels(EndpointSlices.SERVICE_LABEL, "nginx-service").endMetadata().withAddressType("IPv4")
                .addNewEndpoint().withAddresses("10.233.71.1").withNodeName("node1").withNewConditions().withReady(true)
                .endConditions().endEndpoint()
                .addNewPort().withName("web").withPort(80).withProtocol("TCP").endPort().build();
    }

    @Test
    void clusterPolicyMasqueradesNodePortTrafficToAnyEndpoint() {
        String s = KubeProxy.render(new ClusterView(List.of(), List.of(service("Cluster")), List.of(slice()), List.of()),
                "node2", "192.168.57.102");
        assertThat(s).contains("ip daddr 10.233.0.2 tcp dport 8888 jump svc0")
                .contains("ip daddr 192.168.57.102 tcp dport 31655 jump np0")
                .contains("chain np0 {\n    meta mark set meta mark | 0x4000\n    meta l4proto tcp dnat ip to numgen inc mod 1 map { 0 : 10.233.71.1 . 80 }")
                .contains("meta mark & 0x4000 == 0x4000 masquerade");
    }

    @Test
    void localPolicyUsesOnlyThisNodesEndpointsAndKeepsTheClientAddress() {
        ClusterView v = new ClusterView(List.of(), List.of(service("Local")), List.of(slice()), List.of());
        assertThat(KubeProxy.render(v, "node2", "192.168.57.102")).contains("chain np0 {\n    drop\n  }");
        assertThat(KubeProxy.render(v, "node1", "192.168.57.101"))
                .contains("chain np0 {\n    meta l4proto tcp dnat ip to numgen inc mod 1 map { 0 : 10.233.71.1 . 80 }");
    }
}
