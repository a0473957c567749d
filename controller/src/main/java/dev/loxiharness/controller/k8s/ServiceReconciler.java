package dev.loxiharness.controller.k8s;

import dev.loxiharness.controller.config.CcmConfigMap;
import dev.loxiharness.controller.config.ControllerConfig;
import dev.loxiharness.controller.config.Mode;
import dev.loxiharness.controller.config.Settings;
import dev.loxiharness.controller.ipam.IpPool;
import dev.loxiharness.controller.ipam.Ipv4;
import dev.loxiharness.controller.loxilb.LbRule;
import dev.loxiharness.controller.loxilb.RuleStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one Service to what it should be: an external address from a pool (or its static IP),
 * one rule per port in the {@link RuleStore} (which the loxilb targets push), and the address in
 * {@code status.loadBalancer.ingress}. Also takes new {@link Settings} (loxi-ccm's ConfigMap).
 *
 * <p>Runs on the controller's single worker thread: pools and states need no locks.
 */
final class ServiceReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceReconciler.class);

    static final String STATIC_IP_ANNOTATION = "loxilb.io/staticIP";
    static final String POOL_ANNOTATION = "loxilb.io/poolSelect";
    static final String TIMEOUT_ANNOTATION = "loxilb.io/timeout";

    static final String REASON_ALLOCATION_FAILED = "AllocationFailed";
    static final String REASON_INVALID_ANNOTATION = "InvalidAnnotation";

    private final KubernetesClient client;
    private final ControllerConfig config;
    private final ClusterView cluster;
    private final RuleStore rules;
    private final EventRecorder events;
    private final Consumer<List<String>> loxiUrlsChanged;

    private Settings settings;
    private Map<String, IpPool> pools = new LinkedHashMap<>();
    private final Map<String, ServiceState> states = new HashMap<>();
    /** Keys with state, readable from informer threads to route events. */
    private final Set<String> managed = ConcurrentHashMap.newKeySet();
    /** Services waiting for an address; retried whenever one is given back. */
    private final Set<String> pending = new LinkedHashSet<>();
    private final Set<String> quietNoEndpoints = new LinkedHashSet<>();
    /** The last allocation failure logged per Service, so that a pending Service logs it once. */
    private final Map<String, String> lastFailure = new HashMap<>();
    private String lastConfigProblem;
    private boolean addressFreed;

    ServiceReconciler(KubernetesClient client, ControllerConfig config, ClusterView cluster, RuleStore rules,
                      EventRecorder events, Consumer<List<String>> loxiUrlsChanged) {
        this.client = client;
        this.config = config;
        this.cluster = cluster;
        this.rules = rules;
        this.events = events;
        this.loxiUrlsChanged = loxiUrlsChanged;
    }

    /** Is this a Service this controller's role handles? */
    boolean isOurs(Service svc) {
        if (svc == null || svc.getSpec() == null || !"LoadBalancer".equals(svc.getSpec().getType())) {
            return false;
        }
        String cls = svc.getSpec().getLoadBalancerClass();
        return config.mode() == Mode.CCM ? cls == null : config.loadBalancerClass().equals(cls);
    }

    boolean isManaged(String key) {
        return managed.contains(key);
    }

    Settings settings() {
        return settings;
    }

    /** Service key to external IP, for diagnostics and tests. */
    Map<String, String> addresses() {
        return states.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().ip()));
    }

    // ---------------------------------------------------------------------------------------------
    // Settings

    /** loxi-ccm: the ConfigMap over the command line; kube-loxilb: the command line. */
    void reloadSettings() {
        Settings next = config.settings();
        ConfigMap cm = null;
        String where = "the command line";
        if (config.mode() == Mode.CCM) {
            cm = cluster.configMap();
            if (cm == null) {
                problem("ConfigMap " + config.configMapNamespace() + "/" + config.configMapName()
                        + " not found; using the command-line settings until it appears");
            } else {
                where = "ConfigMap " + config.configMapNamespace() + "/" + config.configMapName();
            }
        }
        try {
            if (cm != null) {
                next = CcmConfigMap.apply(config.settings(), cm.getData());
            }
            applySettings(next);
        } catch (RuntimeException e) {
            problem(where + " is invalid (" + e.getMessage() + "); keeping the settings in force");
            if (cm != null) {
                events.warning(cm, "InvalidConfig", e.getMessage());
            }
        }
    }

    private void problem(String message) {
        if (!message.equals(lastConfigProblem)) {
            LOG.warn(message);
            lastConfigProblem = message;
        }
    }

    /** Takes new settings; returns true when anything changed (all Services are then reconciled again). */
    boolean applySettings(Settings next) {
        if (next.equals(settings)) {
            return false;
        }
        Map<String, IpPool> nextPools = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : next.pools().entrySet()) {
            IpPool old = pools.get(e.getKey());
            if (old != null && old.spec().equals(e.getValue().trim()) && old.shared() == !next.uniqueIp()) {
                nextPools.put(e.getKey(), old);
            } else {
                nextPools.put(e.getKey(), IpPool.parse(e.getKey(), e.getValue(), !next.uniqueIp()));
            }
        }
        // Claims move to the new pools; a Service whose address is outside them is re-addressed later.
        for (Map.Entry<String, ServiceState> e : states.entrySet()) {
            ServiceState st = e.getValue();
            IpPool home = st.pool() == null ? null : nextPools.get(st.pool());
            if (home != null && home != pools.get(st.pool())) {
                home.reserve(e.getKey(), st.ip(), st.ports());
            }
            if (st.isStatic() && (home == null || !home.contains(st.ip()))) {
                IpPool other = poolContaining(nextPools, st.ip(), null);
                if (other != null) {
                    other.reserve(e.getKey(), st.ip(), st.ports());
                }
                e.setValue(st.withPool(other == null ? null : other.name()));
            }
        }
        boolean urlsChanged = settings == null || !settings.loxiUrls().equals(next.loxiUrls());
        pools = nextPools;
        settings = next;
        lastConfigProblem = null;
        LOG.info("settings ({}): loxilb {}, pools {}, setBGP {}, setLBMode {}, {} addresses", config.mode().component(),
                next.loxiUrls().isEmpty() ? "none" : next.loxiUrls(), pools.values(), next.setBgp(), next.lbMode(),
                next.uniqueIp() ? "unique" : "shared");
        if (next.loxiUrls().isEmpty()) {
            LOG.warn("no loxilb URL configured: addresses are given out but no rule is installed");
        }
        if (urlsChanged) {
            loxiUrlsChanged.accept(next.loxiUrls());
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Services

    /**
     * Reconciles the Service {@code namespace/name}.
     *
     * @return false when it must be retried (an API call failed)
     */
    boolean reconcile(String key) {
        Service svc = cluster.service(key);
        ServiceState st = states.get(key);
        if (svc == null || !isOurs(svc)) {
            if (st != null) {
                drop(key, st, svc == null ? "deleted" : "no longer a LoadBalancer Service of " + config.mode().component());
                if (svc != null) {
                    return clearStatus(svc, st.ip());
                }
            }
            pending.remove(key);
            events.clear(key);
            return true;
        }
        if (settings == null) {
            return true;
        }
        List<ServicePort> ports = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
        Set<String> portKeys = ports.stream().map(RuleBuilder::portKey).collect(Collectors.toCollection(LinkedHashSet::new));

        Request req = readAnnotations(svc);
        if (req.invalid != null) {
            LOG.warn("Service {}: {}", key, req.invalid);
            events.warning(svc, REASON_INVALID_ANNOTATION, req.invalid);
        }
        if (!req.addressable && st == null) {
            pending.add(key);
            return true;
        }
        if (req.addressable) {
            st = keepOrRelease(key, st, req, portKeys);
            if (st == null) {
                st = acquire(svc, key, req, portKeys);
                if (st == null) {
                    return true;
                }
            }
        }

        List<String> endpoints = EndpointCalculator.endpointIps(svc, cluster.nodes(), cluster.endpointSlices(key));
        RuleBuilder.Params params = new RuleBuilder.Params(config.mode(), settings.setBgp(), settings.lbMode(), config.zoneInstance());
        List<LbRule> next = RuleBuilder.build(params, svc, st.ip(), req.timeout, endpoints);
        if (!Set.copyOf(rules.rules(key)).equals(Set.copyOf(next))) {
            if (next.isEmpty()) {
                if (quietNoEndpoints.add(key)) {
                    LOG.info("Service {}: {} -> no rule installed ({})", key, st.ip(),
                            endpoints.isEmpty() ? "no ready node" + (isLocal(svc) ? " with a ready endpoint (externalTrafficPolicy Local)" : "")
                                    : "no NodePort yet");
                }
            } else {
                quietNoEndpoints.remove(key);
                LOG.info("Service {}: {} ports {} -> endpoints {}", key, st.ip(),
                        next.stream().map(r -> r.serviceArguments().port() + "/" + r.serviceArguments().protocol()).toList(),
                        next.get(0).endpoints().stream().map(ep -> ep.endpointIP() + ":" + ep.targetPort()).toList());
            }
        }
        rules.replace(key, next);

        if (!writeStatus(svc, st.ip())) {
            return false;
        }
        if (req.invalid == null) {
            // all well: a problem that comes back later is reported again
            events.clear(key);
        }
        return true;
    }

    /** Keys of all Services this role handles, those with addresses first (so restarts keep them). */
    List<String> allKeys() {
        List<String> withAddress = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Service svc : cluster.services()) {
            if (!isOurs(svc)) {
                continue;
            }
            String key = key(svc);
            (statusIp(svc) != null ? withAddress : others).add(key);
        }
        List<String> all = new ArrayList<>(withAddress);
        all.addAll(others);
        for (String k : states.keySet()) {
            if (!all.contains(k)) {
                all.add(k);
            }
        }
        return all;
    }

    static String key(Service svc) {
        return svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName();
    }

    private static boolean isLocal(Service svc) {
        return "Local".equals(svc.getSpec().getExternalTrafficPolicy());
    }

    /** What the Service asks for through its annotations (kube-loxilb only). */
    private static final class Request {
        String pool = Settings.DEFAULT_POOL;
        String staticIp;
        int timeout;
        /** False when an annotation about the address is unusable: the address is then left as it is. */
        boolean addressable = true;
        String invalid;
    }

    private Request readAnnotations(Service svc) {
        Request r = new Request();
        r.timeout = config.inactiveTimeout();
        if (config.mode() != Mode.KUBE_LOXILB) {
            return r;
        }
        Map<String, String> a = svc.getMetadata().getAnnotations() == null ? Map.of() : svc.getMetadata().getAnnotations();
        String pool = a.get(POOL_ANNOTATION);
        if (pool != null && !pool.isBlank()) {
            r.pool = pool.trim();
            if (!pools.containsKey(r.pool)) {
                r.invalid = POOL_ANNOTATION + ": pool '" + r.pool + "' does not exist (pools: " + String.join(", ", pools.keySet()) + ")";
                r.addressable = false;
            }
        }
        String staticIp = a.get(STATIC_IP_ANNOTATION);
        if (staticIp != null && !staticIp.isBlank()) {
            if (Ipv4.isValid(staticIp.trim())) {
                r.staticIp = staticIp.trim();
            } else {
                r.invalid = STATIC_IP_ANNOTATION + ": '" + staticIp + "' is not an IPv4 address";
                r.addressable = false;
            }
        }
        String timeout = a.get(TIMEOUT_ANNOTATION);
        if (timeout != null && !timeout.isBlank()) {
            try {
                int t = Integer.parseInt(timeout.trim());
                if (t < 1 || t > 86_400) {
                    throw new NumberFormatException();
                }
                r.timeout = t;
            } catch (NumberFormatException e) {
                r.invalid = TIMEOUT_ANNOTATION + ": '" + timeout + "' is not a number of seconds in 1..86400; using " + r.timeout;
            }
        }
        return r;
    }

    /** The current state if it still fits the request, else null (its address given back). */
    private ServiceState keepOrRelease(String key, ServiceState st, Request req, Set<String> portKeys) {
        if (st == null) {
            return null;
        }
        boolean keep;
        String why;
        if (req.staticIp != null) {
            keep = req.staticIp.equals(st.ip());
            why = "static IP is now " + req.staticIp;
        } else if (st.isStatic()) {
            keep = false;
            why = STATIC_IP_ANNOTATION + " was removed";
        } else if (!req.pool.equals(st.pool())) {
            keep = false;
            why = "pool is now " + req.pool;
        } else {
            IpPool pool = pools.get(st.pool());
            keep = pool != null && pool.owners(st.ip()).contains(key);
            why = "address no longer in pool " + (pool == null ? st.pool() : pool.spec());
        }
        if (keep && !st.ports().equals(portKeys)) {
            IpPool pool = st.pool() == null ? null : pools.get(st.pool());
            keep = pool != null ? pool.updatePorts(key, st.ip(), portKeys) : !clashOutsidePools(key, st.ip(), portKeys);
            why = "new ports " + portKeys + " clash with another Service on " + st.ip();
            if (keep) {
                st = st.withPorts(portKeys);
                states.put(key, st);
            }
        }
        if (keep) {
            return st;
        }
        LOG.info("Service {}: giving back {} ({})", key, st.ip(), why);
        release(key, st);
        states.remove(key);
        managed.remove(key);
        return null;
    }

    /** A new address for the Service, or null when it stays pending (an Event says why). */
    private ServiceState acquire(Service svc, String key, Request req, Set<String> portKeys) {
        ServiceState st = null;
        if (req.staticIp != null) {
            IpPool home = poolContaining(pools, req.staticIp, req.pool);
            if (home != null) {
                if (home.reserve(key, req.staticIp, portKeys) == IpPool.ReserveResult.RESERVED) {
                    st = new ServiceState(req.staticIp, home.name(), true, portKeys);
                } else {
                    return fail(svc, key, "static IP " + req.staticIp + " is in use by " + home.owners(req.staticIp)
                            + (home.shared() ? " on the same port(s)" : "") + "; the Service stays pending");
                }
            } else if (clashOutsidePools(key, req.staticIp, portKeys)) {
                return fail(svc, key, "static IP " + req.staticIp + " is in use by another Service on the same port(s); the Service stays pending");
            } else {
                st = new ServiceState(req.staticIp, null, true, portKeys);
            }
            LOG.info("Service {}: static IP {}{}", key, req.staticIp, st.pool() == null ? " (outside the pools)" : " (pool " + st.pool() + ")");
        } else {
            IpPool pool = pools.get(req.pool);
            if (pool == null) {
                return fail(svc, key, "no address pool '" + req.pool + "' is configured"
                        + (config.mode() == Mode.CCM ? " (externalCIDR in ConfigMap " + config.configMapNamespace() + "/" + config.configMapName() + ")" : ""));
            }
            String shown = statusIp(svc);
            if (shown != null && pool.contains(shown) && pool.reserve(key, shown, portKeys) == IpPool.ReserveResult.RESERVED) {
                st = new ServiceState(shown, pool.name(), false, portKeys);
                LOG.info("Service {}: keeps {} from its status (pool {})", key, shown, pool.name());
            } else {
                var ip = pool.allocate(key, portKeys);
                if (ip.isEmpty()) {
                    return fail(svc, key, "IP pool " + pool.name() + " (" + pool.spec() + ") is exhausted: no address for "
                            + String.join(", ", portKeys) + "; the Service stays pending");
                }
                st = new ServiceState(ip.get(), pool.name(), false, portKeys);
                LOG.info("Service {}: allocated {} from pool {} ({})", key, ip.get(), pool.name(), pool.spec());
            }
        }
        states.put(key, st);
        managed.add(key);
        pending.remove(key);
        return st;
    }

    private ServiceState fail(Service svc, String key, String message) {
        if (pending.add(key) || !message.equals(lastFailure.get(key))) {
            LOG.error("Service {}: {}", key, message);
        }
        lastFailure.put(key, message);
        events.warning(svc, REASON_ALLOCATION_FAILED, message);
        return null;
    }

    private static IpPool poolContaining(Map<String, IpPool> pools, String ip, String preferred) {
        if (preferred != null && pools.containsKey(preferred) && pools.get(preferred).contains(ip)) {
            return pools.get(preferred);
        }
        for (IpPool p : pools.values()) {
            if (p.contains(ip)) {
                return p;
            }
        }
        return null;
    }

    private boolean clashOutsidePools(String key, String ip, Set<String> ports) {
        for (Map.Entry<String, ServiceState> e : states.entrySet()) {
            ServiceState other = e.getValue();
            if (!e.getKey().equals(key) && other.ip().equals(ip) && other.ports().stream().anyMatch(ports::contains)) {
                return true;
            }
        }
        return false;
    }

    private void release(String key, ServiceState st) {
        IpPool pool = st.pool() == null ? null : pools.get(st.pool());
        if (pool != null) {
            pool.release(key, st.ip());
        }
        addressFreed = true;
        lastFailure.remove(key);
        quietNoEndpoints.remove(key);
    }

    /** Forgets a Service: its rules are deleted from every loxilb and its address given back. */
    private void drop(String key, ServiceState st, String why) {
        rules.remove(key);
        release(key, st);
        states.remove(key);
        managed.remove(key);
        LOG.info("Service {}: {}; rules deleted, {} released", key, why, st.ip());
    }

    /** Pending Services to retry because an address was given back since the last call; else empty. */
    List<String> pendingToRetry() {
        if (!addressFreed) {
            return List.of();
        }
        addressFreed = false;
        return List.copyOf(pending);
    }

    // ---------------------------------------------------------------------------------------------
    // Status

    static String statusIp(Service svc) {
        ServiceStatus status = svc.getStatus();
        if (status == null || status.getLoadBalancer() == null || status.getLoadBalancer().getIngress() == null) {
            return null;
        }
        for (LoadBalancerIngress ing : status.getLoadBalancer().getIngress()) {
            if (ing.getIp() != null && Ipv4.isValid(ing.getIp())) {
                return ing.getIp();
            }
        }
        return null;
    }

    private static List<String> statusIps(Service svc) {
        ServiceStatus status = svc.getStatus();
        if (status == null || status.getLoadBalancer() == null || status.getLoadBalancer().getIngress() == null) {
            return List.of();
        }
        return status.getLoadBalancer().getIngress().stream().map(LoadBalancerIngress::getIp).filter(Objects::nonNull).toList();
    }

    private static boolean showsOnly(Service svc, String ip) {
        return statusIps(svc).equals(List.of(ip)) && svc.getStatus().getLoadBalancer().getIngress().size() == 1;
    }

    private boolean writeStatus(Service svc, String ip) {
        if (showsOnly(svc, ip)) {
            return true;
        }
        return patchStatus(svc, List.of(new LoadBalancerIngressBuilder().withIp(ip).build()),
                current -> showsOnly(current, ip), "status.loadBalancer.ingress = " + ip);
    }

    private boolean clearStatus(Service svc, String ip) {
        if (!statusIps(svc).contains(ip)) {
            return true;
        }
        return patchStatus(svc, List.of(), current -> !statusIps(current).contains(ip), "status.loadBalancer cleared");
    }

    /**
     * Sets {@code status.loadBalancer.ingress} by a JSON patch of the status subresource, unless the
     * Service on the server shows it already (our informer's copy can lag behind our own write).
     */
    private boolean patchStatus(Service svc, List<LoadBalancerIngress> ingress, Predicate<Service> done, String what) {
        String key = key(svc);
        try {
            var resource = client.services().inNamespace(svc.getMetadata().getNamespace()).withName(svc.getMetadata().getName());
            Service fresh = resource.get();
            if (fresh == null || done.test(fresh)) {
                return true;
            }
            resource.editStatus(current -> {
                ServiceStatus status = current.getStatus() == null ? new ServiceStatus() : current.getStatus();
                LoadBalancerStatus lb = new LoadBalancerStatus();
                lb.setIngress(new ArrayList<>(ingress));
                status.setLoadBalancer(lb);
                current.setStatus(status);
                return current;
            });
            LOG.info("Service {}: {}", key, what);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            LOG.warn("Service {}: could not write its status ({}); retrying", key, e.getMessage());
            return false;
        }
    }

    Collection<String> managedKeys() {
        return Set.copyOf(managed);
    }
}
