package dev.loxiharness.harness.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/** What the simulated node agents reconcile against: the informers' current lists. */
record ClusterView(List<Pod> pods, List<Service> services, List<EndpointSlice> slices,
                   List<GenericKubernetesResource> bgpPeers) {

    static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }
}
