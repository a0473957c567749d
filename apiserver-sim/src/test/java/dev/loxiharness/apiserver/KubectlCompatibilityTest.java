package dev.loxiharness.apiserver;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real kubectl against the simulated API server (over HTTPS with the CA in the kubeconfig), for
 * every kubectl found (see {@link Kubectl}); skipped, with the reason, where there is none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlCompatibilityTest {
    static final String SEED = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: nginx
              labels:
                app.kubernetes.io/name: proxy
            spec:
              containers:
              - name: nginx
                image: nginx:latest
                ports:
                  - containerPort: 80
                    name: http-web-svc
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: nginx-service
            spec:
              type: LoadBalancer
              selector:
                app.kubernetes.io/name: proxy
              ports:
              - name: name-of-service-port
                protocol: TCP
                port: 8888
                targetPort: http-web-svc
            """;
    static final String BGP_PEER = """
            apiVersion: projectcalico.org/v3
            kind: BGPPeer
            metadata:
              name: my-global-peers2
            spec:
              peerIP: 192.168.57.4
              asNumber: 65002
            """;

    private static final String NO_KUBECTL =
            "no kubectl found (neither KUBECTL nor kubectl / kubectl-1.20 on PATH): kubectl compatibility not tested";
    private Path dir;
    private List<Kubectl> kubectls;
    private SimulatedApiServer server;
    private KubernetesClient client;
    private Path kubeconfig;
    private final AtomicInteger namespaces = new AtomicInteger();

    @BeforeAll
    void startServer() throws IOException {
        kubectls = Kubectl.available();
        if (kubectls.isEmpty()) {
            System.out.println("SKIPPED: " + NO_KUBECTL);
            return;
        }
        System.out.println("kubectl compatibility tested with: " + kubectls);
        dir = Files.createTempDirectory("kubectl-compat");
        server = SimulatedApiServer.builder().httpsPort(0).start();
        client = server.client();
        kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"));
    }

    @AfterAll
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    Stream<Kubectl> kubectls() {
        return kubectls.stream();
    }

    /** A fresh namespace per test and kubectl, so tests do not see each other's objects. */
    private String namespace() {
        String name = "t" + namespaces.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private Kubectl.Result ok(Kubectl kubectl, String stdin, String... args) {
        Kubectl.Result result = kubectl.run(kubeconfig, stdin, args);
        assertThat(result.exitCode()).as("kubectl %s\n%s", String.join(" ", args), result.all()).isZero();
        return result;
    }

    private static String row(String table, String name) {
        return Arrays.stream(table.split("\n")).filter(line -> line.startsWith(name + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + table));
    }

    private void setIngress(String namespace, String ip) {
        setIngress(namespace, "nginx-service", ip);
    }

    private void setIngress(String namespace, String name, String ip) {
        client.services().inNamespace(namespace).withName(name).editStatus(s -> {
            s.getStatus().getLoadBalancer().setIngress(List.of(new LoadBalancerIngressBuilder().withIp(ip).build()));
            return s;
        });
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void seedManifestShowsPendingLoadBalancerThenItsExternalIp(Kubectl kubectl) {
        String ns = namespace();
        assertThat(ok(kubectl, SEED, "apply", "-n", ns, "-f", "-").out())
                .contains("pod/nginx created", "service/nginx-service created");

        String row = row(ok(kubectl, null, "get", "svc", "-n", ns).out(), "nginx-service");
        assertThat(row).matches("nginx-service +LoadBalancer +10\\.233\\.([0-9]|[1-5][0-9]|6[0-3])\\.\\d+ +<pending> +"
                + "8888:3\\d{4}/TCP +\\d+s");

        setIngress(ns, "123.123.123.15");
        assertThat(row(ok(kubectl, null, "get", "svc", "-n", ns).out(), "nginx-service"))
                .matches("nginx-service +LoadBalancer +10\\.233\\.\\d+\\.\\d+ +123\\.123\\.123\\.15 +8888:3\\d{4}/TCP +\\d+s");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void getsAsYamlJsonAndWide(Kubectl kubectl) {
        String ns = namespace();
        ok(kubectl, SEED, "apply", "-n", ns, "-f", "-");
        assertThat(ok(kubectl, null, "get", "svc", "nginx-service", "-n", ns, "-o", "yaml").out())
                .contains("kind: Service", "clusterIP: 10.233.", "nodePort: 3", "type: LoadBalancer", "uid: ",
                        "resourceVersion: ", "creationTimestamp: ");
        assertThat(ok(kubectl, null, "get", "pod", "nginx", "-n", ns, "-o", "json").out())
                .contains("\"kind\": \"Pod\"", "\"phase\": \"Pending\"", "\"image\": \"nginx:latest\"");
        String wide = ok(kubectl, null, "get", "svc", "-n", ns, "-o", "wide").out();
        assertThat(wide.lines().findFirst().orElseThrow())
                .matches("NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\\(S\\) +AGE +SELECTOR");
        assertThat(row(wide, "nginx-service")).endsWith("app.kubernetes.io/name=proxy");
        String pods = ok(kubectl, null, "get", "pods", "-n", ns, "-o", "wide").out();
        assertThat(pods.lines().findFirst().orElseThrow()).matches("NAME +READY +STATUS +RESTARTS +AGE +IP +NODE .*");
        assertThat(row(pods, "nginx")).matches("nginx +0/1 +Pending +0 +\\d+s +<none> +<none> .*");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void appliesTwiceUnchangedThenWithAChange(Kubectl kubectl) {
        String ns = namespace();
        ok(kubectl, SEED, "apply", "-n", ns, "-f", "-");
        assertThat(ok(kubectl, SEED, "apply", "-n", ns, "-f", "-").out())
                .contains("pod/nginx unchanged", "service/nginx-service unchanged");
        String before = row(ok(kubectl, null, "get", "svc", "-n", ns).out(), "nginx-service");
        assertThat(ok(kubectl, SEED.replace("port: 8888", "port: 8889"), "apply", "-n", ns, "-f", "-").out())
                .contains("pod/nginx unchanged", "service/nginx-service configured");
        String after = row(ok(kubectl, null, "get", "svc", "-n", ns).out(), "nginx-service");
        assertThat(after).contains("8889:3").doesNotContain("8888");
        assertThat(after.split(" +")[2]).as("ClusterIP kept").isEqualTo(before.split(" +")[2]);
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void appliesServerSide(Kubectl kubectl) {
        String ns = namespace();
        assertThat(ok(kubectl, SEED, "apply", "--server-side", "-n", ns, "-f", "-").out())
                .contains("pod/nginx serverside-applied", "service/nginx-service serverside-applied");
        assertThat(row(ok(kubectl, null, "get", "svc", "-n", ns).out(), "nginx-service")).contains("8888:3");
        ok(kubectl, SEED.replace("nginx:latest", "nginx:1.27"), "apply", "--server-side", "-n", ns, "-f", "-");
        assertThat(ok(kubectl, null, "get", "pod", "nginx", "-n", ns, "-o", "jsonpath={.spec.containers[*].image}").out())
                .isEqualTo("nginx:1.27");
        assertThat(client.pods().inNamespace(ns).withName("nginx").get().getMetadata().getManagedFields())
                .anySatisfy(entry -> assertThat(entry.getOperation()).isEqualTo("Apply"));
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void patchesWithMergeAndStrategicMerge(Kubectl kubectl) {
        String ns = namespace();
        ok(kubectl, SEED, "apply", "-n", ns, "-f", "-");
        ok(kubectl, null, "patch", "svc", "nginx-service", "-n", ns, "--type", "merge", "-p",
                "{\"metadata\":{\"labels\":{\"tier\":\"edge\"}},\"spec\":{\"sessionAffinity\":\"ClientIP\"}}");
        Service service = client.services().inNamespace(ns).withName("nginx-service").get();
        assertThat(service.getMetadata().getLabels()).containsEntry("tier", "edge");
        assertThat(service.getSpec().getSessionAffinity()).isEqualTo("ClientIP");

        // strategic: the container is merged by name, keeping its ports; env is added by name
        ok(kubectl, null, "patch", "pod", "nginx", "-n", ns, "-p",
                "{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\",\"env\":[{\"name\":\"A\",\"value\":\"1\"}]}]}}");
        var container = client.pods().inNamespace(ns).withName("nginx").get().getSpec().getContainers();
        assertThat(container).hasSize(1);
        assertThat(container.get(0).getImage()).isEqualTo("nginx:1.27");
        assertThat(container.get(0).getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(80));
        assertThat(container.get(0).getEnv()).singleElement().satisfies(e -> assertThat(e.getName()).isEqualTo("A"));
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void replacesLikeEditAndRefusesAStaleReplace(Kubectl kubectl) {
        String ns = namespace();
        ok(kubectl, SEED, "apply", "-n", ns, "-f", "-");
        String yaml = ok(kubectl, null, "get", "svc", "nginx-service", "-n", ns, "-o", "yaml").out()
                .replace("sessionAffinity: None", "sessionAffinity: ClientIP");
        assertThat(ok(kubectl, yaml, "replace", "-f", "-").out()).contains("service/nginx-service replaced");
        assertThat(client.services().inNamespace(ns).withName("nginx-service").get().getSpec().getSessionAffinity())
                .isEqualTo("ClientIP");
        Kubectl.Result stale = kubectl.run(kubeconfig, yaml, "replace", "-f", "-");
        assertThat(stale.exitCode()).isNotZero();
        assertThat(stale.err()).contains("Conflict", "the object has been modified");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void deletesAndReportsNotFoundAndAlreadyExistsAsTheRealServer(Kubectl kubectl) {
        String ns = namespace();
        ok(kubectl, SEED, "create", "-n", ns, "-f", "-");
        Kubectl.Result again = kubectl.run(kubeconfig, SEED, "create", "-n", ns, "-f", "-");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("Error from server (AlreadyExists)", "pods \"nginx\" already exists",
                "services \"nginx-service\" already exists");
        assertThat(ok(kubectl, SEED, "delete", "-n", ns, "-f", "-").out())
                .contains("pod \"nginx\" deleted", "service \"nginx-service\" deleted");
        Kubectl.Result gone = kubectl.run(kubeconfig, null, "get", "pod", "nginx", "-n", ns);
        assertThat(gone.exitCode()).isNotZero();
        assertThat(gone.err()).contains("Error from server (NotFound): pods \"nginx\" not found");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void watchSeesAnUpdate(Kubectl kubectl) throws Exception {
        String ns = namespace();
        ok(kubectl, SEED, "apply", "-n", ns, "-f", "-");
        Process watch = kubectl.start(kubeconfig, "get", "svc", "-n", ns, "-w");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (Exception e) {
                // the process was ended
            }
        });
        reader.start();
        try {
            List<String> seen = new ArrayList<>();
            assertThat(awaitLine(lines, seen, "<pending>")).as("initial row, saw %s", seen).isNotNull();
            setIngress(ns, "123.123.123.15");
            assertThat(awaitLine(lines, seen, "123.123.123.15")).as("updated row, saw %s", seen)
                    .matches("nginx-service +LoadBalancer +10\\.233\\.\\d+\\.\\d+ +123\\.123\\.123\\.15 +8888:3\\d{4}/TCP .*");
            assertThat(seen.stream().filter(l -> l.startsWith("nginx-service"))).as("no replayed rows: %s", seen).hasSize(2);
        } finally {
            watch.destroy();
            watch.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static String awaitLine(BlockingQueue<String> lines, List<String> seen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(text)) {
                    return line;
                }
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void appliesCalicoBgpPeerUnchanged(Kubectl kubectl) {
        assertThat(ok(kubectl, BGP_PEER, "apply", "-f", "-").out()).contains("bgppeer.projectcalico.org/my-global-peers2");
        assertThat(row(ok(kubectl, null, "get", "bgppeers").out(), "my-global-peers2")).matches("my-global-peers2 +\\d+s");
        assertThat(ok(kubectl, null, "get", "bgppeer", "my-global-peers2", "-o", "jsonpath={.spec.peerIP} {.spec.asNumber}")
                .out()).isEqualTo("192.168.57.4 65002");
        assertThat(ok(kubectl, null, "get", "bgpconfigurations,ippools").all()).doesNotContain("error");
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void servesNodesNamespacesConfigMapsEndpointSlicesCrdsAndCustomResources(Kubectl kubectl) {
        String suffix = kubectl.version().replaceAll("[^0-9a-z]", "");
        String ns = "world" + suffix;
        String manifest = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: NS}
                ---
                apiVersion: v1
                kind: Node
                metadata:
                  name: node-SFX
                  labels: {node-role.kubernetes.io/control-plane: ""}
                status:
                  conditions: [{type: Ready, status: "True"}]
                  nodeInfo: {kubeletVersion: v1.32.0}
                  addresses: [{type: InternalIP, address: 192.168.57.101}]
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: loxilb-config, namespace: NS}
                data: {apiServerURL: "http://192.168.57.4:11111"}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: nginx-abc, namespace: NS, labels: {kubernetes.io/service-name: nginx-service}}
                addressType: IPv4
                endpoints: [{addresses: [10.233.71.1]}]
                ports: [{port: 80, protocol: TCP}]
                ---
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgetsSFX.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {kind: WidgetSFX, plural: widgetsSFX, singular: widgetSFX}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                """.replace("NS", ns).replace("SFX", suffix);
        ok(kubectl, manifest, "apply", "-f", "-");
        String nodes = ok(kubectl, null, "get", "nodes", "-o", "wide").out();
        assertThat(nodes.lines().findFirst().orElseThrow()).matches("NAME +STATUS +ROLES +AGE +VERSION +INTERNAL-IP .*");
        assertThat(row(nodes, "node-" + suffix)).matches("node-" + suffix + " +Ready +control-plane +\\d+s +v1\\.32\\.0 +192\\.168\\.57\\.101 .*");
        assertThat(row(ok(kubectl, null, "get", "ns").out(), ns)).matches(ns + " +Active +\\d+s");
        assertThat(ok(kubectl, null, "get", "cm", "loxilb-config", "-n", ns, "-o", "jsonpath={.data.apiServerURL}").out())
                .isEqualTo("http://192.168.57.4:11111");
        assertThat(ok(kubectl, null, "get", "endpointslices", "-n", ns, "-l", "kubernetes.io/service-name=nginx-service")
                .out()).contains("nginx-abc");
        assertThat(ok(kubectl, null, "get", "crd").out()).contains("widgets" + suffix + ".example.com",
                "bgppeers.projectcalico.org");
        ok(kubectl, "apiVersion: example.com/v1\nkind: Widget" + suffix + "\nmetadata: {name: w1}\nspec: {size: 3}\n",
                "apply", "-n", ns, "-f", "-");
        assertThat(row(ok(kubectl, null, "get", "widgets" + suffix, "-n", ns).out(), "w1")).matches("w1 +\\d+s");
        ok(kubectl, null, "delete", "crd", "widgets" + suffix + ".example.com");
        ok(kubectl, null, "delete", "ns", ns);
        assertThat(client.configMaps().inNamespace(ns).list().getItems()).as("namespace contents deleted").isEmpty();
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void createsNamespacesConfigMapsAndSecretsImperatively(Kubectl kubectl) {
        String ns = "imperative" + namespaces.incrementAndGet(); // these generators send protobuf bodies
        assertThat(ok(kubectl, null, "create", "namespace", ns).out()).contains("namespace/" + ns + " created");
        ok(kubectl, null, "create", "configmap", "loxilb-config", "-n", ns, "--from-literal=setBGP=65002");
        ok(kubectl, null, "create", "secret", "generic", "token", "-n", ns, "--from-literal=t=s3cret");
        assertThat(client.configMaps().inNamespace(ns).withName("loxilb-config").get().getData())
                .containsEntry("setBGP", "65002");
        assertThat(client.secrets().inNamespace(ns).withName("token").get().getData())
                .containsEntry("t", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}", allowZeroInvocations = true)
    @MethodSource("kubectls")
    void namesAnUnknownResourceTypeAsTheRealServerDoes(Kubectl kubectl) {
        Kubectl.Result result = kubectl.run(kubeconfig, null, "get", "foos");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("the server doesn't have a resource type \"foos\"");
    }

    /** Figures for the report (never asserted): kubectl get latency and apply -> EXTERNAL-IP visible. */
    @Test
    void printsLatencyFigures() throws Exception {
        assumeTrue(!kubectls.isEmpty(), NO_KUBECTL); // the one visible skip when there is no kubectl
        Kubectl kubectl = kubectls.get(0);
        String ns = namespace();
        ok(kubectl, null, "get", "svc", "-n", ns); // warm the discovery cache
        List<Long> gets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            ok(kubectl, null, "get", "svc", "-n", ns);
            gets.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(gets);
        // A minimal load-balancer controller: an informer that writes the ingress IP of new LoadBalancers.
        SharedIndexInformer<Service> controller = client.services().inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Service service) {
                if ("LoadBalancer".equals(service.getSpec().getType())) {
                    setIngress(ns, service.getMetadata().getName(), "123.123.123.15");
                }
            }

            @Override
            public void onUpdate(Service oldService, Service newService) {
            }

            @Override
            public void onDelete(Service service, boolean unknownFinalStateUnknown) {
            }
        });
        try {
            // the controller runs before the user applies, as in a topology: wait until it has handled one Service
            String warmUp = SEED.substring(SEED.indexOf("---")).replace("nginx-service", "warm-up");
            ok(kubectl, warmUp, "apply", "-n", ns, "-f", "-");
            long warmUpStart = System.nanoTime();
            while (client.services().inNamespace(ns).withName("warm-up").get().getStatus().getLoadBalancer().getIngress()
                    .isEmpty()) {
                assertThat(System.nanoTime() - warmUpStart).as("controller handled the warm-up Service").isLessThan(15_000_000_000L);
                Thread.sleep(10);
            }
            long start = System.nanoTime();
            ok(kubectl, SEED, "apply", "-n", ns, "-f", "-");
            long applied = (System.nanoTime() - start) / 1_000_000;
            while (!row(ok(kubectl, null, "get", "svc", "-n", ns).out(), "nginx-service").contains("123.123.123.15")) {
                assertThat(System.nanoTime() - start).as("EXTERNAL-IP visible within 15 s").isLessThan(15_000_000_000L);
            }
            long visible = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("kubernetes (simulated) figures with %s: kubectl get svc median %d ms (min %d, max %d); "
                    + "kubectl apply %d ms; apply -> EXTERNAL-IP visible in kubectl get %d ms%n", kubectl, gets.get(5),
                    gets.get(0), gets.get(9), applied, visible);
        } finally {
            controller.close();
        }
    }
}
