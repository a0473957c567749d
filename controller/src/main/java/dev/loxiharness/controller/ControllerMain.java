package dev.loxiharness.controller;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.config.Mode;
import dev.loxiharness.controller.config.Settings;
import dev.loxiharness.controller.ipam.IpPool;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The controller's command line: {@code --mode=ccm} plays loxi-ccm, {@code --mode=kube-loxilb}
 * plays kube-loxilb (with its flags). Runs until SIGTERM/SIGINT, then stops cleanly.
 */
@Command(name = "loxilb-controller", mixinStandardHelpOptions = true, versionProvider = ControllerMain.Version.class,
        sortOptions = false,
        description = {
            "Load-balancer controller for loxilb. Gives LoadBalancer Services an external",
            "IP from a pool, installs their rules in every loxilb over its REST API and",
            "writes the Service status.",
            "",
            "--mode=ccm plays loxi-ccm: Services without loadBalancerClass; settings from",
            "  the ConfigMap kube-system/loxilb-config (apiServerURL, externalCIDR, setBGP,",
            "  setLBMode); command-line values are the defaults for keys it lacks.",
            "--mode=kube-loxilb plays kube-loxilb: Services with loadBalancerClass",
            "  loxilb.io/loxilb; annotations loxilb.io/staticIP, loxilb.io/poolSelect and",
            "  loxilb.io/timeout.",
            ""})
public final class ControllerMain implements Callable<Integer> {

    @Option(names = "--mode", defaultValue = "kube-loxilb", paramLabel = "ccm|kube-loxilb",
            description = "Role to play (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account).")
    File kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", description = "Only handle Services of this namespace (default: all).")
    String namespace;

    @Option(names = "--loxiURL", paramLabel = "URL[,URL...]", description = "loxilb API URL(s), e.g. http://192.168.57.4:11111.")
    String loxiUrl;

    @Option(names = "--externalCIDR", paramLabel = "CIDR",
            description = "Default pool (defaultPool); a non-zero host part is the first address, e.g. 123.123.123.15/24.")
    String externalCidr;

    @Option(names = "--cidrPools", paramLabel = "NAME=CIDR[,...]",
            description = "Named pools, e.g. defaultPool=123.123.123.1/24,pool2=124.124.124.1/24 (ranges a-b too).")
    String cidrPools;

    @Option(names = "--setBGP", arity = "0..1", fallbackValue = "true", paramLabel = "N|true|false",
            description = "Advertise VIPs over BGP (kube-loxilb: the local AS, 0 = off; loxi-ccm: true/false).")
    String setBgp;

    @Option(names = "--setLBMode", paramLabel = "0|1|2", description = "0 default (DNAT), 1 onearm, 2 fullnat.")
    Integer setLbMode;

    @Option(names = "--setUniqueIP", description = "One external IP per Service (default: Services share an IP when their ports differ).")
    boolean uniqueIp;

    @Option(names = "--loxilbLoadBalancerClass", paramLabel = "CLASS", defaultValue = ControllerConfig.LOXILB_CLASS,
            description = "loadBalancerClass handled in kube-loxilb mode (default: ${DEFAULT-VALUE}).")
    String lbClass;

    @Option(names = "--configMap", paramLabel = "NS/NAME", defaultValue = "kube-system/loxilb-config",
            description = "loxi-ccm's ConfigMap (default: ${DEFAULT-VALUE}).")
    String configMap;

    @Option(names = "--resyncPeriod", paramLabel = "SECONDS", defaultValue = "30",
            description = "Reconcile everything again and compare loxilb's rules this often (default: ${DEFAULT-VALUE}).")
    int resyncSeconds;

    @Option(names = "--loglevel", paramLabel = "LEVEL", defaultValue = "info",
            description = "trace, debug, info, warn or error (default: ${DEFAULT-VALUE}).")
    String logLevel;

    public static void main(String[] args) {
        int code = new CommandLine(new ControllerMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The configuration these flags describe. */
    ControllerConfig toConfig() {
        Mode m = Mode.fromFlag(mode);
        ControllerConfig c = m == Mode.CCM ? ControllerConfig.ccm() : ControllerConfig.kubeLoxilb();
        Map<String, String> pools = new LinkedHashMap<>();
        if (externalCidr != null && !externalCidr.isBlank()) {
            pools.put(Settings.DEFAULT_POOL, externalCidr.trim());
        }
        if (cidrPools != null) {
            Settings.parsePools(cidrPools).forEach(pools::putIfAbsent);
        }
        if (!pools.isEmpty()) {
            // As kube-loxilb: pools given replace its default pool (123.123.123.1/24).
            c = c.withPools(pools);
        }
        if (loxiUrl != null) {
            c = c.withLoxiUrls(Settings.splitList(loxiUrl).toArray(String[]::new));
        }
        if (setBgp != null) {
            c = c.withSetBgp(Settings.parseBgp(setBgp));
        }
        if (setLbMode != null) {
            c = c.withLbMode(setLbMode);
        }
        if (uniqueIp) {
            c = c.withUniqueIp(true);
        }
        String[] cm = configMap.split("/", 2);
        if (cm.length != 2 || cm[0].isBlank() || cm[1].isBlank()) {
            throw new IllegalArgumentException("--configMap must be NAMESPACE/NAME, not '" + configMap + "'");
        }
        if (resyncSeconds < 1) {
            throw new IllegalArgumentException("--resyncPeriod must be at least 1 second");
        }
        // Build the pools once here so that a bad CIDR is a usage error, not a log line later.
        c.settings().pools().forEach((name, spec) -> IpPool.parse(name, spec, true));
        return c.withNamespace(namespace).withLoadBalancerClass(lbClass).withConfigMap(cm[0], cm[1])
                .withIntervals(Duration.ofSeconds(2), Duration.ofSeconds(resyncSeconds));
    }

    @Override
    public Integer call() throws Exception {
        configureLogging(logLevel);
        ControllerConfig cfg;
        try {
            cfg = toConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("loxilb-controller: " + e.getMessage());
            return 2;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false))
                .setUseDaemonThread(true));
        KubernetesClient client = buildClient(vertx);
        Logger log = LoggerFactory.getLogger(ControllerMain.class);
        log.info("Kubernetes API server {}", client.getMasterUrl());
        Shutdown shutdown = new Shutdown(LoadBalancerController.start(client, cfg),
                () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS), client, log);
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "shutdown"));
        shutdown.await();
        return 0;
    }

    /**
     * Stops the controller, then the client's transport, then the client, once. The controller's
     * informers, work queue and threads go first: the client's event loop must outlive everything
     * that may still hand it work (an informer's last notification, a watch being closed). Then the
     * Vert.x instance under the client is closed and waited for: it closes its HTTP and WebSocket
     * clients (the watches' close handshakes included) before it stops its event loops. The
     * fabric8 client, left to itself, fires those closes and Vert.x's close without waiting for any
     * of them, so a watch socket closed by the API server a moment later had its close notification
     * rejected by an event loop already terminated ("RejectedExecutionException: event executor
     * terminated", logged as an error). The client is closed last, releasing what it still holds.
     */
    static final class Shutdown implements Runnable {
        private final AutoCloseable controller;
        private final AutoCloseable transport;
        private final AutoCloseable client;
        private final Logger log;
        private final AtomicBoolean started = new AtomicBoolean();
        private final CountDownLatch done = new CountDownLatch(1);

        Shutdown(AutoCloseable controller, AutoCloseable transport, AutoCloseable client, Logger log) {
            this.controller = controller;
            this.transport = transport;
            this.client = client;
            this.log = log;
        }

        @Override
        public void run() {
            if (!started.compareAndSet(false, true)) {
                return;
            }
            try {
                log.info("signal received: shutting down");
                closeQuietly("controller", controller);
                closeQuietly("Kubernetes client's connections", transport);
                closeQuietly("Kubernetes client", client);
                log.info("stopped");
            } finally {
                done.countDown();
            }
        }

        void await() throws InterruptedException {
            done.await();
        }

        private void closeQuietly(String what, AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("stopping the {}: {}", what, e.toString());
            }
        }
    }

    /** A client on the given Vert.x instance, which the caller closes (the client does not). */
    private KubernetesClient buildClient(Vertx vertx) throws IOException {
        Config config;
        if (kubeconfig != null) {
            if (!kubeconfig.isFile()) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--kubeconfig: no such file: " + kubeconfig);
            }
            config = Config.fromKubeconfig(kubeconfig);
        } else {
            config = Config.autoConfigure(null);
        }
        return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new Vertx5HttpClientFactory(vertx)).build();
    }

    /** slf4j-simple reads its settings once, so they must be set before the first logger exists. */
    static void configureLogging(String level) {
        String lvl = List.of("trace", "debug", "info", "warn", "error").contains(level.toLowerCase()) ? level.toLowerCase() : "info";
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", lvl);
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "true");
        for (String noisy : List.of("io.fabric8", "io.vertx", "io.netty")) {
            setDefault("org.slf4j.simpleLogger.log." + noisy, "debug".equals(lvl) || "trace".equals(lvl) ? "info" : "warn");
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ControllerMain.class.getPackage().getImplementationVersion();
            return new String[] {"loxilb-controller " + (v == null ? "dev" : v)};
        }
    }
}
