package dev.loxiharness.controller.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a controller runs: its role, the initial {@link Settings}, and the knobs that do not change
 * at run time. Build one with {@link #ccm()} or {@link #kubeLoxilb(String...)} and the {@code with}
 * methods.
 *
 * @param namespace        only Services of this namespace, or null for all
 * @param loadBalancerClass the class kube-loxilb handles ({@code loxilb.io/loxilb})
 * @param configMapNamespace where loxi-ccm's ConfigMap lives ({@code kube-system})
 * @param configMapName    loxi-ccm's ConfigMap ({@code loxilb-config})
 * @param healthInterval   how often each loxilb is probed (kube-loxilb: 2 s)
 * @param resyncInterval   how often everything is reconciled again and loxilb's rules compared
 * @param requestTimeout   timeout of one loxilb call
 * @param inactiveTimeout  the rules' {@code inactiveTimeOut} (kube-loxilb: 1800 s)
 * @param zoneInstance     the part after ':' in rule names (kube-loxilb: {@code llb-inst0})
 */
public record ControllerConfig(
        Mode mode,
        Settings settings,
        String namespace,
        String loadBalancerClass,
        String configMapNamespace,
        String configMapName,
        Duration healthInterval,
        Duration resyncInterval,
        Duration requestTimeout,
        int inactiveTimeout,
        String zoneInstance) {

    public static final String LOXILB_CLASS = "loxilb.io/loxilb";
    /** kube-loxilb's pool when neither --externalCIDR nor --cidrPools is given. */
    public static final String KUBE_LOXILB_DEFAULT_CIDR = "123.123.123.1/24";

    public ControllerConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(settings, "settings");
        if (inactiveTimeout < 0 || inactiveTimeout > 86_400) {
            throw new IllegalArgumentException("inactive timeout must be 0..86400 s");
        }
    }

    /** loxi-ccm: everything but the knobs comes from the ConfigMap {@code kube-system/loxilb-config}. */
    public static ControllerConfig ccm() {
        return new ControllerConfig(Mode.CCM, new Settings(List.of(), Map.of(), false, 0, false), null, LOXILB_CLASS,
                "kube-system", "loxilb-config", Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(5),
                1800, "llb-inst0");
    }

    /** kube-loxilb with the given loxilb URLs and its default pool. */
    public static ControllerConfig kubeLoxilb(String... loxiUrls) {
        return new ControllerConfig(Mode.KUBE_LOXILB,
                new Settings(List.of(loxiUrls), Map.of(Settings.DEFAULT_POOL, KUBE_LOXILB_DEFAULT_CIDR), false, 0, false),
                null, LOXILB_CLASS, "kube-system", "loxilb-config", Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(5), 1800, "llb-inst0");
    }

    public ControllerConfig withSettings(Settings s) {
        return new ControllerConfig(mode, s, namespace, loadBalancerClass, configMapNamespace, configMapName,
                healthInterval, resyncInterval, requestTimeout, inactiveTimeout, zoneInstance);
    }

    public ControllerConfig withLoxiUrls(String... urls) {
        return withSettings(settings.withLoxiUrls(List.of(urls)));
    }

    public ControllerConfig withExternalCidr(String cidr) {
        LinkedHashMap<String, String> pools = new LinkedHashMap<>();
        pools.put(Settings.DEFAULT_POOL, cidr);
        settings.pools().forEach(pools::putIfAbsent);
        return withSettings(settings.withPools(pools));
    }

    public ControllerConfig withPools(Map<String, String> pools) {
        return withSettings(settings.withPools(pools));
    }

    public ControllerConfig withSetBgp(boolean bgp) {
        return withSettings(settings.withSetBgp(bgp));
    }

    public ControllerConfig withLbMode(int lbMode) {
        return withSettings(settings.withLbMode(lbMode));
    }

    public ControllerConfig withUniqueIp(boolean unique) {
        return withSettings(settings.withUniqueIp(unique));
    }

    public ControllerConfig withNamespace(String ns) {
        return new ControllerConfig(mode, settings, ns, loadBalancerClass, configMapNamespace, configMapName,
                healthInterval, resyncInterval, requestTimeout, inactiveTimeout, zoneInstance);
    }

    public ControllerConfig withLoadBalancerClass(String cls) {
        return new ControllerConfig(mode, settings, namespace, cls, configMapNamespace, configMapName,
                healthInterval, resyncInterval, requestTimeout, inactiveTimeout, zoneInstance);
    }

    public ControllerConfig withConfigMap(String ns, String name) {
        return new ControllerConfig(mode, settings, namespace, loadBalancerClass, ns, name,
                healthInterval, resyncInterval, requestTimeout, inactiveTimeout, zoneInstance);
    }

    public ControllerConfig withIntervals(Duration health, Duration resync) {
        return new ControllerConfig(mode, settings, namespace, loadBalancerClass, configMapNamespace, configMapName,
                health, resync, requestTimeout, inactiveTimeout, zoneInstance);
    }

    public ControllerConfig withRequestTimeout(Duration timeout) {
        return new ControllerConfig(mode, settings, namespace, loadBalancerClass, configMapNamespace, configMapName,
                healthInterval, resyncInterval, timeout, inactiveTimeout, zoneInstance);
    }

    public ControllerConfig withInactiveTimeout(int seconds) {
        return new ControllerConfig(mode, settings, namespace, loadBalancerClass, configMapNamespace, configMapName,
                healthInterval, resyncInterval, requestTimeout, seconds, zoneInstance);
    }
}
