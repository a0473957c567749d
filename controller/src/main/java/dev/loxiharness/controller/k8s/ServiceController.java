package dev.loxiharness.controller.k8s;

import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.config.Mode;
import dev.loxiharness.controller.loxilb.LoxilbClient;
import dev.loxiharness.controller.loxilb.LoxilbTarget;
import dev.loxiharness.controller.loxilb.RuleStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running controller: informers on Services, Nodes, EndpointSlices (and loxi-ccm's ConfigMap),
 * a work queue of Service keys handled by one worker thread, one {@link LoxilbTarget} per loxilb,
 * and a periodic resync.
 */
public final class ServiceController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceController.class);
    static final String CONFIG_KEY = "\u0000settings";
    private static final String SERVICE_INDEX = "service";
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final ControllerConfig config;
    private final RuleStore rules = new RuleStore();
    private final WorkQueue queue = new WorkQueue("lb-controller");
    private final Map<String, LoxilbTarget> targets = new LinkedHashMap<>();
    private final ServiceReconciler reconciler;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final ScheduledExecutorService timer;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final Thread worker;
    private volatile boolean running = true;
    private final AtomicBoolean closing = new AtomicBoolean();

    private ServiceController(KubernetesClient client, ControllerConfig config) {
        this.client = client;
        this.config = config;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lb-controller-resync");
            t.setDaemon(true);
            return t;
        });
        String ns = config.namespace();
        services = ns == null ? client.services().inAnyNamespace().runnableInformer(0)
                : client.services().inNamespace(ns).runnableInformer(0);
        nodes = client.nodes().runnableInformer(0);
        var sliceOps = client.discovery().v1().endpointSlices();
        slices = ns == null ? sliceOps.inAnyNamespace().runnableInformer(0) : sliceOps.inNamespace(ns).runnableInformer(0);
        slices.addIndexers(Map.of(SERVICE_INDEX, s -> {
            String svc = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            return svc == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + svc);
        }));
        configMaps = config.mode() == Mode.CCM
                ? client.configMaps().inNamespace(config.configMapNamespace()).runnableInformer(0)
                : null;
        EventRecorder events = new EventRecorder(client, config.mode().component());
        reconciler = new ServiceReconciler(client, config, new InformerView(), rules, events, this::setLoxiUrls);
        worker = new Thread(this::work, "lb-controller-worker");
        worker.setDaemon(true);
    }

    /** Starts informers, the worker and the resync; returns at once (see {@link #awaitReady}). */
    public static ServiceController start(KubernetesClient client, ControllerConfig config) {
        ServiceController c = new ServiceController(client, config);
        c.startAll();
        return c;
    }

    private void startAll() {
        LOG.info("starting {} controller: {} LoadBalancer Services{}{}", config.mode().component(),
                config.mode() == Mode.CCM ? "handles" : "handles loadBalancerClass " + config.loadBalancerClass(),
                config.mode() == Mode.CCM ? " without loadBalancerClass, settings from ConfigMap "
                        + config.configMapNamespace() + "/" + config.configMapName() : "",
                config.namespace() == null ? "" : " in namespace " + config.namespace());
        services.addEventHandler(handler((old, svc) -> {
            if (reconciler.isOurs(svc) || (old != null && reconciler.isOurs(old)) || reconciler.isManaged(ServiceReconciler.key(svc))) {
                queue.add(ServiceReconciler.key(svc));
            }
        }));
        nodes.addEventHandler(handler((old, node) -> {
            if (old == null || nodeChanged(old, node)) {
                enqueueAll();
            }
        }));
        slices.addEventHandler(handler((old, slice) -> {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String svc = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (svc != null) {
                String key = slice.getMetadata().getNamespace() + "/" + svc;
                Service s = services.getStore().getByKey(key);
                if (reconciler.isOurs(s) || reconciler.isManaged(key)) {
                    queue.add(key);
                }
            }
        }));
        informers.add(services);
        informers.add(nodes);
        informers.add(slices);
        if (configMaps != null) {
            configMaps.addEventHandler(handler((old, cm) -> {
                if (config.configMapName().equals(cm.getMetadata().getName())) {
                    queue.add(CONFIG_KEY);
                }
            }));
            informers.add(configMaps);
        }
        for (SharedIndexInformer<?> inf : informers) {
            // As client-go: keep retrying, also when the API server cannot be reached at start.
            String type = inf.getApiTypeClass().getSimpleName();
            inf.exceptionHandler((started, t) -> {
                if (running) {
                    LOG.warn("watching {}s failed ({}); retrying", type, t.getMessage() == null ? t.toString() : t.getMessage());
                }
                return running;
            });
            inf.start().whenComplete((v, err) -> {
                if (err != null && running) {
                    LOG.warn("informer for {}s failed to start: {}", type, err.getMessage());
                }
            });
        }
        worker.start();
        long resync = config.resyncInterval().toMillis();
        timer.scheduleAtFixedRate(this::enqueueAll, resync, resync, TimeUnit.MILLISECONDS);
    }

    /** Waits until the caches are filled and every existing Service has been looked at once. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Service ({@code namespace/name}) to external IP, as the controller holds it. */
    public Map<String, String> addresses() {
        return underLock(reconciler::addresses);
    }

    /** What each loxilb target knows. */
    public List<LoxilbTarget.Status> loxilbStatus() {
        synchronized (targets) {
            return targets.values().stream().map(LoxilbTarget::status).toList();
        }
    }

    public RuleStore rules() {
        return rules;
    }

    /** Reads reconciler state between two reconciles (the worker holds the lock while it works). */
    private <T> T underLock(Supplier<T> s) {
        synchronized (reconciler) {
            return s.get();
        }
    }

    private void work() {
        try {
            while (running && !informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
                Thread.sleep(50);
            }
            if (!running) {
                return;
            }
            synchronized (reconciler) {
                reconciler.reloadSettings();
            }
            List<String> initial = reconciler.allKeys();
            LOG.info("caches synced: {} node(s), {} LoadBalancer Service(s) of {}", nodes.getStore().list().size(),
                    initial.size(), config.mode().component());
            for (String key : initial) {
                synchronized (reconciler) {
                    if (!reconciler.reconcile(key)) {
                        queue.addRateLimited(key);
                    }
                }
            }
            ready.countDown();
            while (running) {
                String key = queue.take();
                if (key == null) {
                    break;
                }
                try {
                    process(key);
                } finally {
                    queue.done(key);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("controller worker stopped by an unexpected error", e);
            } else {
                LOG.debug("controller worker: {} while stopping", e.toString());
            }
        }
    }

    private void process(String key) {
        try {
            boolean ok;
            synchronized (reconciler) {
                if (CONFIG_KEY.equals(key)) {
                    var before = reconciler.settings();
                    reconciler.reloadSettings();
                    if (!Objects.equals(before, reconciler.settings())) {
                        enqueueAll();
                    }
                    ok = true;
                } else {
                    ok = reconciler.reconcile(key);
                }
                reconciler.pendingToRetry().forEach(queue::add);
            }
            if (ok) {
                queue.forget(key);
            } else {
                queue.addRateLimited(key);
            }
        } catch (RuntimeException e) {
            if (!running) {
                // e.g. a request cut short by the stop: the next controller reconciles the Service
                LOG.debug("Service {}: reconcile interrupted by the stop: {}", key, e.toString());
                return;
            }
            long delay = queue.addRateLimited(key);
            LOG.error("Service {}: reconcile failed ({}); retrying in {} ms", key, e.toString(), delay, e);
        }
    }

    private void enqueueAll() {
        if (!running) {
            return;
        }
        for (Service svc : services.getStore().list()) {
            if (reconciler.isOurs(svc)) {
                queue.add(ServiceReconciler.key(svc));
            }
        }
        reconciler.managedKeys().forEach(queue::add);
    }

    private void setLoxiUrls(List<String> urls) {
        List<String> wanted = urls.stream().map(LoxilbClient::normalize).distinct().toList();
        synchronized (targets) {
            for (var it = targets.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!wanted.contains(e.getKey())) {
                    LOG.info("loxilb {}: no longer configured; its rules are left as they are", e.getKey());
                    e.getValue().close();
                    it.remove();
                }
            }
            for (String url : wanted) {
                if (!targets.containsKey(url)) {
                    LoxilbTarget t = new LoxilbTarget(url, rules, config.healthInterval(), config.resyncInterval(),
                            config.requestTimeout(), this::isStaleRuleName);
                    targets.put(url, t);
                    if (running) {
                        t.start();
                    }
                }
            }
        }
    }

    /**
     * A rule named as ours ({@code <namespace>_<service>:<instance>}) whose Service does not exist,
     * in a namespace this controller watches: left over from a Service deleted while no controller ran.
     */
    boolean isStaleRuleName(String name) {
        String suffix = ":" + config.zoneInstance();
        if (ready.getCount() > 0 || name == null || !name.endsWith(suffix)) {
            return false;
        }
        String nsName = name.substring(0, name.length() - suffix.length());
        int sep = nsName.indexOf('_');
        if (sep <= 0 || sep == nsName.length() - 1) {
            return false;
        }
        String ns = nsName.substring(0, sep);
        if (config.namespace() != null && !config.namespace().equals(ns)) {
            return false;
        }
        return services.getStore().getByKey(ns + "/" + nsName.substring(sep + 1)) == null;
    }

    private static boolean nodeChanged(Node a, Node b) {
        return EndpointCalculator.isReady(a) != EndpointCalculator.isReady(b)
                || EndpointCalculator.excluded(a) != EndpointCalculator.excluded(b)
                || !Objects.equals(EndpointCalculator.address(a), EndpointCalculator.address(b));
    }

    private static <T> ResourceEventHandler<T> handler(BiConsumer<T, T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(null, obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.accept(obj, obj);
            }
        };
    }

    /**
     * Stops in dependency order, and only once: the resync timer and the informers first (no new
     * notifications; each informer's watch is closed before this returns, so nothing is left to run
     * on the client's event loop when the caller closes the client), then the work queue and the
     * worker (left to finish the key in hand rather than interrupted mid-request), then the loxilb
     * targets. The client itself is the caller's to close, after this.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        running = false;
        LOG.info("stopping {} controller (rules stay in loxilb)", config.mode().component());
        timer.shutdownNow();
        for (SharedIndexInformer<?> inf : informers) {
            try {
                inf.stop();
            } catch (RuntimeException e) {
                LOG.debug("stopping informer: {}", e.toString());
            }
        }
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (SharedIndexInformer<?> inf : informers) {
            try {
                inf.stopped().toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debug("informer for {}s did not stop cleanly: {}", inf.getApiTypeClass().getSimpleName(), e.toString());
            }
        }
        queue.close();
        try {
            worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(TimeUnit.SECONDS.toMillis(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (targets) {
            targets.values().forEach(LoxilbTarget::close);
            targets.clear();
        }
    }

    /** The informers' caches as the reconciler sees them. */
    private final class InformerView implements ClusterView {
        @Override
        public Service service(String key) {
            return services.getStore().getByKey(key);
        }

        @Override
        public Collection<Service> services() {
            return services.getStore().list();
        }

        @Override
        public Collection<Node> nodes() {
            return nodes.getStore().list();
        }

        @Override
        public Collection<EndpointSlice> endpointSlices(String serviceKey) {
            return slices.getIndexer().byIndex(SERVICE_INDEX, serviceKey);
        }

        @Override
        public ConfigMap configMap() {
            return configMaps == null ? null
                    : configMaps.getStore().getByKey(config.configMapNamespace() + "/" + config.configMapName());
        }
    }
}
