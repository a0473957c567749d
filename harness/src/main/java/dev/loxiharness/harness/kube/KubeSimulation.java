package dev.loxiharness.harness.kube;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated part of Kubernetes on the netns backend: Nodes, the scheduler, the kubelets,
 * the EndpointSlice controller, kube-proxy in every node and calico-node's BGP peering, all
 * reconciling on one thread from informers on the (simulated) API server. Everything they make on
 * the wire is real: namespaces, veths, routes, nftables, BIRD, nginx.
 */
public final class KubeSimulation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeSimulation.class);

    private final Topology topology;
    private final Map<String, Node> nodes;
    private final KubernetesClient client;
    private final List<String> kubeNodes = new ArrayList<>();
    private final Map<String, String> nodeAddresses = new LinkedHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kube-sim");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final PodSandboxes sandboxes;
    private final Scheduler scheduler;
    private final Kubelet kubelet;
    private final EndpointSlices slices;
    private final KubeProxy kubeProxy = new KubeProxy();
    private final CalicoNode calico;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Service> services;
    private SharedIndexInformer<EndpointSlice> endpointSlices;
    private volatile boolean informed;
    private volatile long lastReconcileMillis;
    private SharedIndexInformer<GenericKubernetesResource> bgpPeers;

    public KubeSimulation(Topology topology, Map<String, Node> nodes, StateDir state, KubernetesClient client) {
        this.topology = topology;
        this.nodes = nodes;
        this.client = client;
        kubeNodes.addAll(kubeNodes(topology));
        kubeNodes.forEach(name -> nodeAddresses.put(name, topology.nodes().get(name).primaryAddress()));
        this.sandboxes = new PodSandboxes(topology, nodes, state);
        this.scheduler = new Scheduler(client, kubeNodes);
        this.kubelet = new Kubelet(client, sandboxes, Set.copyOf(kubeNodes), nodeAddresses);
        this.slices = new EndpointSlices(client);
        this.calico = new CalicoNode(topology, nodes, kubeNodes.stream().filter(n -> topology.nodes().get(n).has("calico-node")).toList());
    }

    /** The nodes that are Kubernetes nodes (calico-node, kube-proxy or control-plane), in file order: where pods may run. */
    public static List<String> kubeNodes(Topology topology) {
        return topology.nodes().entrySet().stream().filter(e -> e.getValue().has("calico-node") || e.getValue().has("kube-proxy")
                || e.getValue().has("control-plane")).map(Map.Entry::getKey).toList();
    }

    /** Whether the simulated kubelet runs a container of this image: nginx images only, as the host's nginx in a pod namespace. */
    public static boolean runsImage(String image) {
        return image != null && image.replaceFirst("^.*/", "").startsWith("nginx");
    }

    public void start() {
        registerNodes();
        ccmConfig();
        ResourceEventHandler<Object> any = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                queue();
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                queue();
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                queue();
            }
        };
        pods = inform(client.pods().inAnyNamespace().inform(cast(any), 30_000));
        services = inform(client.services().inAnyNamespace().inform(cast(any), 30_000));
        endpointSlices = inform(client.discovery().v1().endpointSlices().inAnyNamespace().inform(cast(any), 30_000));
        bgpPeers = inform(client.genericKubernetesResources("projectcalico.org/v3", "BGPPeer").inform(cast(any), 30_000));
        informed = true;
        queue();
    }

    private <T> SharedIndexInformer<T> inform(SharedIndexInformer<T> i) {
        informers.add(i);
        return i;
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    private void registerNodes() {
        String now = Instant.now().toString();
        for (String name : kubeNodes) {
            Topology.Node n = topology.nodes().get(name);
            List<String> blocks = n.calico() == null ? List.of() : n.calico().blocks();
            NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux")
                    .endMetadata().withNewSpec().withPodCIDR(blocks.isEmpty() ? null : blocks.get(0))
                    .withPodCIDRs(blocks).endSpec()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress(n.primaryAddress()).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withMessage("simulated kubelet (netns backend)").withLastTransitionTime(now).withLastHeartbeatTime(now).endCondition()
                    .withNewNodeInfo().withKubeletVersion("v1.32.0-sim").withOperatingSystem("linux").withArchitecture("amd64")
                    .withContainerRuntimeVersion("netns://loxiharness").endNodeInfo().endStatus();
            if (n.has("control-plane")) {
                b.editMetadata().addToLabels("node-role.kubernetes.io/control-plane", "").endMetadata();
            }
            client.nodes().resource(b.build()).create();
        }
    }

    /** loxi-ccm's ConfigMap, from the topology's controller settings. */
    private void ccmConfig() {
        Topology.LoadBalancer lb = topology.loadBalancer();
        if (lb == null || lb.controller() == null || !"ccm".equals(lb.controller().mode())) {
            return;
        }
        Topology.Controller c = lb.controller();
        client.configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("loxilb-config").withNamespace("kube-system").endMetadata()
                .withData(c.loxilbConfig()).build()).create();
    }

    private void queue() {
        // the first informers' events arrive while the later ones are still being made: the
        // reconcile after the last one covers them (one before would fail and wait a second)
        // ... and the next waits at least as long as the last one took: every reconcile renders every
        // node's kube-proxy table, so while a thousand Services change it takes at most half a CPU
        if (informed && queued.compareAndSet(false, true)) {
            worker.schedule(this::reconcile, Math.max(20, lastReconcileMillis), TimeUnit.MILLISECONDS);
        }
    }

    private void reconcile() {
        queued.set(false);
        long start = System.nanoTime();
        try {
            ClusterView view = new ClusterView(List.copyOf(pods.getStore().list()), List.copyOf(services.getStore().list()),
                    List.copyOf(endpointSlices.getStore().list()), List.copyOf(bgpPeers.getStore().list()));
            scheduler.reconcile(view);
            kubelet.reconcile(view);
            slices.reconcile(view);
            for (String node : kubeNodes) {
                if (topology.nodes().get(node).has("kube-proxy")) {
                    kubeProxy.reconcile(view, node, nodeAddresses.get(node), nodes.get(node));
                }
            }
            calico.reconcile(view);
        } catch (RuntimeException e) {
            LOG.error("reconcile failed (retrying in 1 s): {}", e.getMessage(), e);
            worker.schedule(this::queue, 1, TimeUnit.SECONDS);
        } finally {
            lastReconcileMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        worker.shutdownNow();
    }
}
