package dev.loxiharness.apiserver;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fabric8 client against the simulated API server (HTTPS, CA from the server), and raw HTTP where kubectl-only paths matter. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedApiServerTest {
    private final List<String> log = new CopyOnWriteArrayList<>();
    private SimulatedApiServer server;
    private KubernetesClient client;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger namespaces = new AtomicInteger();

    @BeforeAll
    void start() {
        server = SimulatedApiServer.builder().httpsPort(0).log(log::add).start();
        client = server.client();
    }

    @AfterAll
    void stop() {
        server.close();
        assertThat(log).allSatisfy(line -> assertThat(line).contains("simulated"));
    }

    private String namespace() {
        String name = "f" + namespaces.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private static Service loadBalancer(String name, Integer nodePort) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withType("LoadBalancer")
                .withSelector(Map.of("app", name)).addNewPort().withPort(8888).withNodePort(nodePort).endPort().endSpec().build();
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsLikeAFreshClusterAndSaysItIsSimulated() {
        assertThat(log.get(0)).startsWith("kubernetes: simulated API server (netns backend) on " + server.url());
        assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .contains("default", "kube-system", "kube-public");
        Service kubernetes = client.services().inNamespace("default").withName("kubernetes").get();
        assertThat(kubernetes.getSpec().getClusterIP()).isEqualTo("10.233.0.1");
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.32.0");
        assertThat(client.genericKubernetesResources("projectcalico.org/v3", "BGPPeer").list().getItems()).isNotNull();
    }

    @Test
    void allocatesClusterIpAndNodePortsKeepsThemOnUpdateAndRefusesDuplicates() {
        String ns = namespace();
        Service created = client.services().inNamespace(ns).resource(loadBalancer("a", null)).create();
        String clusterIp = created.getSpec().getClusterIP();
        int nodePort = created.getSpec().getPorts().get(0).getNodePort();
        assertThat(Ipv4Cidr.parse("10.233.0.0/18").contains(clusterIp)).as(clusterIp).isTrue();
        assertThat(nodePort).isBetween(30000, 32767);
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

        // a replace that leaves both out keeps them, and bumps resourceVersion and generation
        Service replaced = client.services().inNamespace(ns).resource(new ServiceBuilder(loadBalancer("a", null))
                .editMetadata().withResourceVersion(created.getMetadata().getResourceVersion()).endMetadata()
                .editSpec().withSessionAffinity("ClientIP").endSpec().build()).update();
        assertThat(replaced.getSpec().getClusterIP()).isEqualTo(clusterIp);
        assertThat(replaced.getSpec().getPorts().get(0).getNodePort()).isEqualTo(nodePort);
        assertThat(Long.parseLong(replaced.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
        assertThat(replaced.getMetadata().getGeneration()).isEqualTo(2L);

        Service given = client.services().inNamespace(ns).resource(loadBalancer("b", 32000)).create();
        assertThat(given.getSpec().getPorts().get(0).getNodePort()).isEqualTo(32000);
        assertThatThrownBy(() -> client.services().inNamespace(ns).resource(loadBalancer("c", 32000)).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
                    assertThat(e.getStatus().getMessage()).contains("spec.ports[0].nodePort", "provided port is already allocated");
                });
        Service clusterIpOnly = client.services().inNamespace(ns).resource(new ServiceBuilder().withNewMetadata()
                .withName("d").endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
        assertThat(clusterIpOnly.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(clusterIpOnly.getSpec().getPorts().get(0).getNodePort()).isNull();
        assertThat(clusterIpOnly.getSpec().getClusterIP()).isNotEqualTo(clusterIp).startsWith("10.233.");
    }

    @Test
    void listsInNameOrderOnlyTheNamespaceAskedFor() {
        String ns = namespace();
        String longer = ns + "0"; // sorts right after ns + "/" in a key of namespace/name
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(longer).endMetadata().build()).create();
        for (String name : List.of("c", "a", "b")) {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        }
        client.configMaps().inNamespace(longer).resource(new ConfigMapBuilder().withNewMetadata().withName("a").endMetadata().build()).create();
        assertThat(client.configMaps().inNamespace(ns).list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("a", "b", "c");
        assertThat(client.configMaps().inNamespace(longer).list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("a");
        assertThat(client.configMaps().inAnyNamespace().list().getItems()).filteredOn(c -> c.getMetadata().getNamespace().startsWith(ns))
                .extracting(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName())
                .containsExactly(ns + "/a", ns + "/b", ns + "/c", longer + "/a");
    }

    @Test
    void resourceVersionMovesOnChangesOnlyAndGenerationOnSpecChangesOnly() {
        String ns = namespace();
        Service created = client.services().inNamespace(ns).resource(loadBalancer("gen", null)).create();
        assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(created.getMetadata().getUid()).isNotEmpty();
        Service same = client.services().inNamespace(ns).withName("gen").edit(s -> s);
        assertThat(same.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
        Service status = client.services().inNamespace(ns).withName("gen").editStatus(s -> {
            s.getStatus().getLoadBalancer().setIngress(List.of(new LoadBalancerIngressBuilder().withIp("123.123.112.1").build()));
            return s;
        });
        assertThat(Long.parseLong(status.getMetadata().getResourceVersion())).isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));
        assertThat(status.getMetadata().getGeneration()).isEqualTo(1L);
        Service spec = client.services().inNamespace(ns).withName("gen").edit(s -> {
            s.getSpec().getPorts().get(0).setPort(9999);
            return s;
        });
        assertThat(spec.getMetadata().getGeneration()).isEqualTo(2L);
        assertThat(spec.getStatus().getLoadBalancer().getIngress()).extracting(i -> i.getIp()).containsExactly("123.123.112.1");
        assertThat(spec.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    }

    @Test
    void aFinalizerHoldsADeletedObjectUntilItIsRemoved() {
        String ns = namespace();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("held")
                .withFinalizers("example.com/hold").endMetadata().build()).create();
        client.configMaps().inNamespace(ns).withName("held").delete();
        ConfigMap marked = client.configMaps().inNamespace(ns).withName("held").get();
        assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
        client.configMaps().inNamespace(ns).withName("held").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        assertThat(client.configMaps().inNamespace(ns).withName("held").get()).isNull();
    }

    @Test
    void answersConflictsAndMissingObjectsWithStatusReasons() {
        String ns = namespace();
        ConfigMap map = new ConfigMapBuilder().withNewMetadata().withName("m").endMetadata().addToData("k", "v").build();
        client.configMaps().inNamespace(ns).resource(map).create();
        assertThatThrownBy(() -> client.configMaps().inNamespace(ns).resource(map).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists");
                    assertThat(e.getStatus().getMessage()).isEqualTo("configmaps \"m\" already exists");
                });
        assertThat(client.configMaps().inNamespace(ns).withName("nope").get()).isNull();
        assertThatThrownBy(() -> client.configMaps().inNamespace("no-such-ns").resource(map).create())
                .isInstanceOfSatisfying(KubernetesClientException.class,
                        e -> assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"no-such-ns\" not found"));
    }

    @Test
    void notFoundBodiesAreStatusObjects() throws Exception {
        HttpResponse<String> missing = get("/api/v1/namespaces/default/pods/nope", "application/json");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"kind\":\"Status\"", "\"reason\":\"NotFound\"",
                "\"message\":\"pods \\\"nope\\\" not found\"", "\"code\":404");
        assertThat(get("/apis/no.such.group/v1/things", "application/json").statusCode()).isEqualTo(404);
        assertThat(get("/version?timeout=32s", "application/json").body()).contains("\"gitVersion\":\"v1.32.0\"");
    }

    @Test
    void patchesJsonMergeStrategicAndStatus() {
        String ns = namespace();
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("p").addToLabels("a", "1")
                .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx").addNewPort()
                .withContainerPort(80).endPort().endContainer().endSpec().build()).create();
        var pod = client.pods().inNamespace(ns).withName("p");
        pod.edit(p -> new PodBuilder(p).editMetadata().addToLabels("b", "2").endMetadata().build()); // JSON patch
        pod.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"a\":null}}}");
        pod.patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}");
        pod.patchStatus(new PodBuilder(pod.get()).editOrNewStatus().withPhase("Running").withPodIP("10.233.71.5")
                .endStatus().build());
        var result = pod.get();
        assertThat(result.getMetadata().getLabels()).isEqualTo(Map.of("b", "2"));
        assertThat(result.getSpec().getContainers()).extracting(c -> c.getName()).containsExactly("c", "sidecar");
        assertThat(result.getStatus().getPhase()).isEqualTo("Running");
        // a spec update through the main resource does not touch status (status is a subresource)
        pod.edit(p -> new PodBuilder(p).editStatus().withPhase("Failed").endStatus().build());
        assertThat(pod.get().getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void serverSideApplyCreatesThenMerges() {
        String ns = namespace();
        ConfigMap first = new ConfigMapBuilder().withNewMetadata().withName("applied").endMetadata()
                .addToData("a", "1").build();
        client.configMaps().inNamespace(ns).resource(first).fieldManager("test").serverSideApply();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder(first).addToData("b", "2").build())
                .fieldManager("test").serverSideApply();
        ConfigMap applied = client.configMaps().inNamespace(ns).withName("applied").get();
        assertThat(applied.getData()).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(applied.getMetadata().getManagedFields()).singleElement()
                .satisfies(e -> assertThat(e.getManager()).isEqualTo("test"));
    }

    @Test
    void informerSeesAddUpdateDeleteAndSelectorTransitions() throws Exception {
        String ns = namespace();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        SharedIndexInformer<Service> informer = client.services().inNamespace(ns).withLabel("watched", "yes")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Service s) {
                        events.add("add " + s.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(Service before, Service after) {
                        if (!before.getMetadata().getResourceVersion().equals(after.getMetadata().getResourceVersion())) {
                            events.add("update " + after.getMetadata().getName() + " " + after.getStatus().getLoadBalancer().getIngress());
                        }
                    }

                    @Override
                    public void onDelete(Service s, boolean unknown) {
                        events.add("delete " + s.getMetadata().getName());
                    }
                });
        try {
            Service watched = new ServiceBuilder(loadBalancer("w", null)).editMetadata().addToLabels("watched", "yes")
                    .endMetadata().build();
            client.services().inNamespace(ns).resource(watched).create();
            client.services().inNamespace(ns).resource(loadBalancer("ignored", null)).create();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("add w");
            client.services().inNamespace(ns).withName("w").editStatus(s -> {
                s.getStatus().getLoadBalancer().setIngress(List.of(new LoadBalancerIngressBuilder().withIp("123.123.123.15").build()));
                return s;
            });
            assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("update w").contains("123.123.123.15");
            // the label is removed: for this watch the object is gone
            client.services().inNamespace(ns).withName("w").edit(s -> new ServiceBuilder(s).editMetadata()
                    .removeFromLabels("watched").endMetadata().build());
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("delete w");
            client.services().inNamespace(ns).withName("ignored").edit(s -> new ServiceBuilder(s).editMetadata()
                    .addToLabels("watched", "yes").endMetadata().build());
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("add ignored");
            client.services().inNamespace(ns).withName("ignored").delete();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("delete ignored");
            assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            informer.close();
        }
    }

    @Test
    void watchesOverChunkedHttpAsKubectlDoes() throws Exception {
        String ns = namespace();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("before")
                .endMetadata().build()).create();
        String listVersion = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();
        HttpResponse<Stream<String>> watch = http.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/v1/namespaces/" + ns + "/configmaps?watch=true&resourceVersion=" + listVersion)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(watch.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("after")
                .endMetadata().build()).create();
        List<String> lines = new ArrayList<>();
        var iterator = watch.body().iterator();
        lines.add(iterator.next());
        watch.body().close();
        assertThat(lines).singleElement().satisfies(line -> assertThat(line).startsWith("{\"type\":\"ADDED\"")
                .contains("\"name\":\"after\"").doesNotContain("\"name\":\"before\""));
    }

    @Test
    void servesCustomResourcesOfStoredCrdsAndCalicoTypes() {
        GenericKubernetesResource peer = new GenericKubernetesResourceBuilder().withApiVersion("projectcalico.org/v3")
                .withKind("BGPPeer").withNewMetadata().withName("peer-from-fabric8").endMetadata()
                .addToAdditionalProperties("spec", Map.of("peerIP", "192.168.57.4", "asNumber", 65002)).build();
        client.genericKubernetesResources("projectcalico.org/v3", "BGPPeer").resource(peer).create();
        GenericKubernetesResource stored = client.genericKubernetesResources("projectcalico.org/v3", "BGPPeer")
                .withName("peer-from-fabric8").get();
        assertThat(stored.getMetadata().getNamespace()).isNull();
        assertThat(stored.<Integer>get("spec", "asNumber")).isEqualTo(65002);
        for (String kind : List.of("BGPConfiguration", "IPPool")) {
            assertThat(client.genericKubernetesResources("projectcalico.org/v3", kind).list().getItems()).isEmpty();
        }
    }

    @Test
    void writesAKubeconfigWithTheEmbeddedCa(@TempDir Path dir) throws Exception {
        String kubeconfig = Files.readString(server.writeKubeconfig(dir.resolve("sub/kubeconfig")));
        assertThat(kubeconfig).contains("SIMULATED", "name: loxiharness-sim", "server: " + server.httpsUrl(),
                "certificate-authority-data: ", "current-context: loxiharness-sim");
    }

    @Test
    void legacyNamedWatchPathAndFieldSelectorsOnAnyField() throws Exception {
        String ns = namespace();
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("on1").endMetadata()
                .withNewSpec().withNodeName("node1").addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .build()).create();
        client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName("on2").endMetadata()
                .withNewSpec().withNodeName("node2").addNewContainer().withName("c").withImage("i").endContainer().endSpec()
                .build()).create();
        assertThat(client.pods().inNamespace(ns).withField("spec.nodeName", "node1").list().getItems())
                .extracting(p -> p.getMetadata().getName()).containsExactly("on1");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (var watch = client.pods().inNamespace(ns).withField("spec.nodeName", "node2").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                seen.add(action + " " + pod.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED on2");
            assertThat(seen.poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }
}
