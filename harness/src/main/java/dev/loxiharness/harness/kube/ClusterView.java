package dev.loxiharness.harness.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the simulated node agents reconcile against: the informers' current lists, and the slices
 * by the {@code namespace/name} of the Service they belong to (their service-name label), grouped
 * once per reconcile, so that no node's kube-proxy walks every slice for every Service (a million
 * steps at 1,000 Services).
 */
record ClusterView(List<Pod> pods, List<Service> services, List<EndpointSlice> slices,
                   List<GenericKubernetesResource> bgpPeers, Map<String, List<EndpointSlice>> slicesByService) {

    ClusterView(List<Pod> pods, List<Service> services, List<EndpointSlice> slices, List<GenericKubernetesResource> bgpPeers) {
        this(pods, services, slices, bgpPeers, byService(slices));
    }

    static String key(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private static Map<String, List<EndpointSlice>> byService(List<EndpointSlice> slices) {
        Map<String, List<EndpointSlice>> out = new HashMap<>();
        for (EndpointSlice e : slices) {
            String svc = e.getMetadata().getLabels() == null ? null : e.getMetadata().getLabels().get(EndpointSlices.SERVICE_LABEL);
            if (svc != null) {
                out.computeIfAbsent(e.getMetadata().getNamespace() + "/" + svc, k -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }
}
