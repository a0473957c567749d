package dev.loxiharness.harness.kube;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The EndpointSlice controller: one slice per Service with a selector, listing its Ready pods. */
final class EndpointSlices {
    static final String SERVICE_LABEL = "kubernetes.io/service-name";
    private final KubernetesClient client;

    EndpointSlices(KubernetesClient client) {
        this.client = client;
    }

    void reconcile(ClusterView view) {
        Set<String> wanted = new HashSet<>();
        Map<String, EndpointSlice> existing = new HashMap<>();
        view.slices().forEach(e -> existing.put(e.getMetadata().getNamespace() + "/" + e.getMetadata().getName(), e));
        for (Service s : view.services()) {
            Map<String, String> selector = s.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            String ns = s.getMetadata().getNamespace();
            String name = s.getMetadata().getName() + "-sim";
            wanted.add(ns + "/" + name);
            List<Pod> pods = view.pods().stream().filter(p -> ns.equals(p.getMetadata().getNamespace())
                    && p.getMetadata().getLabels() != null
                    && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())
                    && p.getStatus() != null && p.getStatus().getPodIP() != null
                    && "Running".equals(p.getStatus().getPhase())).toList();
            List<Endpoint> endpoints = pods.stream().map(p -> new EndpointBuilder()
                    .withAddresses(p.getStatus().getPodIP()).withNodeName(p.getSpec().getNodeName())
                    .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                    .withNewTargetRef().withKind("Pod").withNamespace(ns).withName(p.getMetadata().getName())
                    .withUid(p.getMetadata().getUid()).endTargetRef().build()).toList();
            List<EndpointPort> ports = new ArrayList<>();
            for (ServicePort sp : s.getSpec().getPorts()) {
                Integer target = resolve(sp, pods);
                if (target != null) {
                    ports.add(new EndpointPortBuilder().withName(sp.getName() == null ? "" : sp.getName())
                            .withPort(target).withProtocol(sp.getProtocol() == null ? "TCP" : sp.getProtocol()).build());
                }
            }
            EndpointSlice desired = new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace(ns)
                    .addToLabels(SERVICE_LABEL, s.getMetadata().getName())
                    .addToLabels("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.loxiharness.sim")
                    .endMetadata().withAddressType("IPv4").withEndpoints(endpoints).withPorts(ports).build();
            EndpointSlice current = existing.get(ns + "/" + name);
            if (current == null) {
                client.discovery().v1().endpointSlices().inNamespace(ns).resource(desired).create();
            } else if (!Objects.equals(current.getEndpoints(), desired.getEndpoints())
                    || !Objects.equals(current.getPorts(), desired.getPorts())) {
                client.discovery().v1().endpointSlices().inNamespace(ns).withName(name).edit(e -> {
                    e.setEndpoints(desired.getEndpoints());
                    e.setPorts(desired.getPorts());
                    return e;
                });
            }
        }
        for (EndpointSlice e : view.slices()) {
            String k = e.getMetadata().getNamespace() + "/" + e.getMetadata().getName();
            if (e.getMetadata().getName().endsWith("-sim") && !wanted.contains(k)) {
                client.discovery().v1().endpointSlices().inNamespace(e.getMetadata().getNamespace())
                        .withName(e.getMetadata().getName()).delete();
            }
        }
    }

    /** The pods' port for a Service port: a number as is, a name looked up in the containers. */
    private static Integer resolve(ServicePort sp, List<Pod> pods) {
        IntOrString t = sp.getTargetPort();
        if (t == null) {
            return sp.getPort();
        }
        if (t.getIntVal() != null) {
            return t.getIntVal();
        }
        for (Pod p : pods) {
            for (var c : p.getSpec().getContainers()) {
                for (ContainerPort cp : c.getPorts()) {
                    if (t.getStrVal().equals(cp.getName())) {
                        return cp.getContainerPort();
                    }
                }
            }
        }
        return pods.isEmpty() ? null : sp.getPort();
    }
}
