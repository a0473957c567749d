package dev.loxiharness.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The simulated Kubernetes API server of the netns backend: an indexed object store ({@link CrudStore})
 * behind a front end that real kubectl (1.20 to current) and fabric8 clients accept. It
 * listens on loopback over plain HTTP and, if asked, HTTPS with a certificate made at start.
 *
 * <p>At start it holds what a fresh cluster holds: the namespaces default, kube-system,
 * kube-public and kube-node-lease, the {@code kubernetes} Service at the first address of the
 * service CIDR, and Calico's {@code projectcalico.org/v3} BGPPeer, BGPConfiguration and IPPool
 * types (cluster-scoped), so Calico configuration is applied with plain kubectl.
 */
public final class SimulatedApiServer implements AutoCloseable {
    public static final String NAME = "loxiharness-sim";

    private final Vertx vertx;
    private final ApiFrontEnd frontEnd;
    private final HttpServer http;
    private final HttpServer https;
    private final SelfSignedCertificate certificate;
    private final String host;
    private final String serviceCidr;
    private final Consumer<String> log;
    private KubernetesClient client;

    private SimulatedApiServer(Builder options) {
        this.host = options.host;
        this.log = options.log;
        Ipv4Cidr cidr = Ipv4Cidr.parse(options.serviceCidr);
        this.serviceCidr = cidr.toString();
        this.vertx = Vertx.vertx();
        this.frontEnd = new ApiFrontEnd(vertx, new Admission(cidr, options.nodePortMin, options.nodePortMax),
                version(options.kubernetesVersion), log);
        seed(cidr);
        try {
            this.http = listen(new HttpServerOptions().setPort(options.port));
            if (options.httpsPort >= 0) {
                this.certificate = SelfSignedCertificate.generate(host);
                this.https = listen(new HttpServerOptions().setPort(options.httpsPort).setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(certificate.certificatePem()))
                                .setKeyValue(Buffer.buffer(certificate.privateKeyPem()))));
            } else {
                this.certificate = null;
                this.https = null;
            }
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        frontEnd.serverAddress(host + ":" + (https != null ? https : http).actualPort());
        log.accept("kubernetes: simulated API server (netns backend) on " + url()
                + (https != null ? " and " + httpsUrl() : "") + ", service CIDR " + serviceCidr + ", node ports "
                + options.nodePortMin + "-" + options.nodePortMax);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Plain HTTP on 127.0.0.1 with the defaults (port 0 = any free port). */
    public static SimulatedApiServer start(int port) {
        return builder().port(port).start();
    }

    private HttpServer listen(HttpServerOptions options) {
        options.setHost(host).setHttp2ClearTextEnabled(false);
        return await(vertx.createHttpServer(options).requestHandler(frontEnd).listen(), "listen on " + host);
    }

    public String url() {
        return "http://" + host + ":" + http.actualPort();
    }

    /** The HTTPS URL, or null when HTTPS was not asked for. */
    public String httpsUrl() {
        return https == null ? null : "https://" + host + ":" + https.actualPort();
    }

    public int port() {
        return http.actualPort();
    }

    public String serviceCidr() {
        return serviceCidr;
    }

    /** The URL clients are given: HTTPS when enabled, else HTTP. */
    public String preferredUrl() {
        return https != null ? httpsUrl() : url();
    }

    /** A fabric8 client for this server, owned by it (closed by {@link #close()}; do not close it). */
    public synchronized KubernetesClient client() {
        if (client == null) {
            ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(preferredUrl()).withNamespace("default");
            if (certificate != null) {
                config.withCaCertData(certificate.certificateBase64());
            }
            client = new KubernetesClientBuilder().withConfig(config.build()).build();
        }
        return client;
    }

    /** Writes a kubeconfig whose cluster, user and context are all named {@value #NAME}. */
    public Path writeKubeconfig(Path file) {
        String cluster = "    server: " + preferredUrl() + "\n"
                + (certificate != null ? "    certificate-authority-data: " + certificate.certificateBase64() + "\n" : "");
        // The user carries a token only because kubectl prompts for a username when a user has no credentials.
        String kubeconfig = "# kubeconfig of the SIMULATED Kubernetes API server (loxiharness netns backend)\n"
                + "apiVersion: v1\nkind: Config\n"
                + "clusters:\n- name: " + NAME + "\n  cluster:\n" + cluster
                + "users:\n- name: " + NAME + "\n  user:\n    token: simulated-no-authentication\n"

                + "contexts:\n- name: " + NAME + "\n  context:\n    cluster: " + NAME + "\n    user: " + NAME
                + "\n    namespace: default\n"
                + "current-context: " + NAME + "\npreferences: {}\n";
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        frontEnd.stopWatches();
        synchronized (this) {
            if (client != null) {
                client.close();
            }
        }
        try {
            if (https != null) {
                await(https.close(), "close HTTPS");
            }
            await(http.close(), "close HTTP");
        } finally {
            await(vertx.close(), "stop Vert.x");
            log.accept("kubernetes: simulated API server (netns backend) on " + url() + " stopped");
        }
    }

    // ---- what a fresh cluster holds

    private void seed(Ipv4Cidr cidr) {
        for (String namespace : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
            ObjectNode object = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            object.putObject("metadata").put("name", namespace);
            frontEnd.create(ApiResources.NAMESPACES, null, object);
        }
        ObjectNode kubernetes = Json.object().put("apiVersion", "v1").put("kind", "Service");
        kubernetes.putObject("metadata").put("name", "kubernetes").putObject("labels").put("component", "apiserver")
                .put("provider", "kubernetes");
        ObjectNode spec = kubernetes.putObject("spec").put("type", "ClusterIP").put("clusterIP", cidr.address(1));
        spec.putArray("ports").addObject().put("name", "https").put("port", 443).put("protocol", "TCP")
                .put("targetPort", 6443);
        frontEnd.create(ApiResources.SERVICES, "default", kubernetes);
        for (String[] calico : new String[][] {{"BGPPeer", "bgppeers"}, {"BGPConfiguration", "bgpconfigurations"},
                {"IPPool", "ippools"}}) {
            frontEnd.create(ApiResources.CRDS, null, clusterScopedCrd("projectcalico.org", "v3", calico[0], calico[1]));
        }
    }

    private static ObjectNode clusterScopedCrd(String group, String version, String kind, String plural) {
        ObjectNode crd = Json.object().put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "CustomResourceDefinition");
        crd.putObject("metadata").put("name", plural + "." + group);
        ObjectNode spec = crd.putObject("spec").put("group", group).put("scope", "Cluster");
        spec.putObject("names").put("kind", kind).put("listKind", kind + "List").put("plural", plural)
                .put("singular", kind.toLowerCase(Locale.ROOT));
        ArrayNode versions = spec.putArray("versions");
        versions.addObject().put("name", version).put("served", true).put("storage", true).putObject("schema")
                .putObject("openAPIV3Schema").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
        return crd;
    }

    private static ObjectNode version(String kubernetesVersion) {
        String[] parts = kubernetesVersion.split("\\.");
        return Json.object().put("major", parts[0]).put("minor", parts[1]).put("gitVersion", "v" + kubernetesVersion)
                .put("gitCommit", "simulated-netns-backend").put("gitTreeState", "clean")
                .put("buildDate", "2025-01-01T00:00:00Z").put("goVersion", "simulated (Java)").put("compiler", "simulated")
                .put("platform", "linux/amd64");
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("simulated API server could not " + what + ": " + e.getMessage(), e);
        }
    }

    /** Options; every one has the default of the seed topology. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int httpsPort = -1;
        private String serviceCidr = "10.233.0.0/18";
        private int nodePortMin = 30000;
        private int nodePortMax = 32767;
        private String kubernetesVersion = "1.32.0";
        private Consumer<String> log = System.out::println;

        private Builder() {
        }

        /** The address to listen on; loopback unless a topology deliberately puts it elsewhere. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The plain HTTP port; 0 = any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Also serve HTTPS on this port (0 = any free port); clients and kubeconfigs then use it. */
        public Builder httpsPort(int httpsPort) {
            this.httpsPort = httpsPort;
            return this;
        }

        public Builder serviceCidr(String serviceCidr) {
            this.serviceCidr = serviceCidr;
            return this;
        }

        public Builder nodePortRange(int min, int max) {
            this.nodePortMin = min;
            this.nodePortMax = max;
            return this;
        }

        /** The version /version reports, e.g. 1.32.0 (kubectl's version-skew checks read it). */
        public Builder kubernetesVersion(String kubernetesVersion) {
            this.kubernetesVersion = kubernetesVersion;
            return this;
        }

        /** Where the server's few log lines go (each says it is simulated). */
        public Builder log(Consumer<String> log) {
            this.log = log;
            return this;
        }

        public SimulatedApiServer start() {
            return new SimulatedApiServer(this);
        }
    }
}
