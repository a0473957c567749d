package dev.loxiharness.controller.k8s;

import dev.loxiharness.controller.config.Mode;
import dev.loxiharness.controller.ipam.Ipv4;
import dev.loxiharness.controller.loxilb.LbRule;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One loxilb rule per Service port, shaped as kube-loxilb's {@code makeLoxiLoadBalancerModel}
 * shapes it: the external IP and port, the lower-case protocol, selection 0 (round robin), the
 * configured mode and BGP flag, {@code managed: true}, the name {@code <namespace>_<service>:<instance>},
 * the Service's {@code loadBalancerSourceRanges} as allowed sources, and one endpoint per node at
 * the port's NodePort.
 */
public final class RuleBuilder {
    private RuleBuilder() {
    }

    /** What the rules of every Service share. */
    public record Params(Mode mode, boolean bgp, int lbMode, String instance) {
    }

    public static String ruleName(String namespace, String service, String instance) {
        return namespace + "_" + service + ":" + instance;
    }

    public static String protocol(ServicePort port) {
        return port.getProtocol() == null ? "tcp" : port.getProtocol().toLowerCase(Locale.ROOT);
    }

    /** {@code 8888/tcp}: the unit of address sharing. */
    public static String portKey(ServicePort port) {
        return port.getPort() + "/" + protocol(port);
    }

    static boolean hasNodePort(ServicePort port) {
        return port.getNodePort() != null && port.getNodePort() > 0;
    }

    /**
     * The Service's rules for {@code externalIp} ({@code inactiveTimeout} in seconds, kube-loxilb's
     * default 1800 or the Service's {@code loxilb.io/timeout}). Ports without a NodePort yet get none, and with no
     * endpoint there is no rule at all (loxilb refuses a rule without endpoints).
     */
    public static List<LbRule> build(Params p, Service svc, String externalIp, int inactiveTimeout, List<String> endpointIps) {
        List<LbRule> rules = new ArrayList<>();
        if (endpointIps.isEmpty() || svc.getSpec() == null || svc.getSpec().getPorts() == null) {
            return rules;
        }
        String name = ruleName(svc.getMetadata().getNamespace(), svc.getMetadata().getName(), p.instance());
        List<LbRule.AllowedSource> sources = new ArrayList<>();
        List<String> ranges = svc.getSpec().getLoadBalancerSourceRanges();
        if (ranges != null) {
            for (String r : ranges) {
                if (isCidr(r)) {
                    sources.add(new LbRule.AllowedSource(r.trim()));
                }
            }
        }
        List<Integer> weights = EndpointCalculator.weights(p.mode(), endpointIps.size());
        for (ServicePort port : svc.getSpec().getPorts()) {
            if (!hasNodePort(port)) {
                continue;
            }
            List<LbRule.Endpoint> eps = new ArrayList<>();
            for (int i = 0; i < endpointIps.size(); i++) {
                eps.add(new LbRule.Endpoint(endpointIps.get(i), port.getNodePort(), weights.get(i)));
            }
            LbRule.ServiceArguments args = new LbRule.ServiceArguments(
                    externalIp, "", port.getPort(), protocol(port), 0, p.lbMode(), p.bgp(), false, inactiveTimeout, 0, true,
                    "", 0, "", "", 0, 0, 0, name, 0);
            rules.add(new LbRule(args, List.of(), sources, eps));
        }
        return rules;
    }

    static boolean isCidr(String s) {
        if (s == null || !s.contains("/")) {
            return false;
        }
        String[] parts = s.trim().split("/", -1);
        if (parts.length != 2 || !Ipv4.isValid(parts[0])) {
            return false;
        }
        try {
            int len = Integer.parseInt(parts[1]);
            return len >= 0 && len <= 32;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
