package dev.loxiharness.controller.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/** Kubernetes objects as the tests need them. */
public final class TestObjects {
    private TestObjects() {
    }

    public static Node node(String name, String ip, boolean ready) {
        return new NodeBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewStatus()
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                    .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus()
                .build();
    }

    /** A LoadBalancer Service with one TCP port and its NodePort. */
    public static Service lbService(String ns, String name, String lbClass, int port, int nodePort) {
        return new ServiceBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec()
                    .withType("LoadBalancer")
                    .withLoadBalancerClass(lbClass)
                    .addToSelector("app.kubernetes.io/name", "proxy")
                    .addNewPort().withName("web").withProtocol("TCP").withPort(port).withNodePort(nodePort)
                        .withNewTargetPort("http-web-svc").endPort()
                .endSpec()
                .build();
    }

    public static Service local(Service svc) {
        return new ServiceBuilder(svc).editSpec().withExternalTrafficPolicy("Local").endSpec().build();
    }

    public static Endpoint endpoint(String ip, String node, Boolean ready) {
        return new EndpointBuilder().addToAddresses(ip).withNodeName(node)
                .withNewConditions().withReady(ready).endConditions().build();
    }

    public static EndpointSlice slice(String ns, String service, String name, Endpoint... endpoints) {
        return new EndpointSliceBuilder()
                .withNewMetadata().withNamespace(ns).withName(name).addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(endpoints)
                .addNewPort().withName("web").withPort(80).withProtocol("TCP").endPort()
                .build();
    }
}
