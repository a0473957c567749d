package dev.loxiharness.controller.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;

/** The reconciler's read-only view of the cluster: the informers' caches. */
interface ClusterView {
    /** The Service {@code namespace/name}, or null. */
    Service service(String key);

    Collection<Service> services();

    Collection<Node> nodes();

    /** The EndpointSlices of the Service {@code namespace/name}. */
    Collection<EndpointSlice> endpointSlices(String serviceKey);

    /** loxi-ccm's ConfigMap, or null (also in kube-loxilb mode). */
    ConfigMap configMap();
}
