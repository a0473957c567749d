package dev.loxiharness.loxilb.wire;

import static dev.loxiharness.loxilb.wire.GoZero.bool;
import static dev.loxiharness.loxilb.wire.GoZero.num;
import static dev.loxiharness.loxilb.wire.GoZero.str;

import dev.loxiharness.loxilb.rules.EndpointSpec;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.NatMode;
import dev.loxiharness.loxilb.rules.ProbeSpec;
import dev.loxiharness.loxilb.rules.Protocol;
import dev.loxiharness.loxilb.rules.RuleError;
import dev.loxiharness.loxilb.rules.RuleException;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.rules.RuleTable;
import dev.loxiharness.loxilb.rules.Selection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wire model to rule and back, with upstream's checks in upstream's order: first the swagger
 * schema (required fields, enums: 422), then rules.go's argument checks (400 with upstream's
 * error strings), then what this data plane cannot do (400 naming what it can).
 */
public final class RuleMapper {
    public static final int DEFAULT_TIMEOUT_TCP = 240;
    public static final int DEFAULT_TIMEOUT_OTHER = 20;
    public static final int MAX_TIMEOUT = 24 * 3600;
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp", "icmp");
    private static final Set<String> PROBE_TYPES = Set.of("tcp", "udp", "sctp", "http", "https", "ping", "none");
    private static final Set<String> RULE_PROBE_TYPES = Set.of("tcp", "udp", "sctp", "ping", "none");

    private RuleMapper() {
    }

    public static LbRule toRule(LoadbalanceEntry e) {
        checkSchema(e);
        LoadbalanceEntry.ServiceArguments a = e.serviceArguments;
        String vip = a.externalIP;
        if (!Ipv4.isAddress(vip)) {
            throw new RuleException(Ipv4.isIpv6(vip) ? RuleError.UNSUPPORTED : RuleError.MALFORMED_SERVICE,
                    Ipv4.isIpv6(vip) ? "IPv6 VIP " + vip + ": this data plane does IPv4 only" : "externalIP " + vip);
        }
        Ipv4.unusableAsVip(vip).ifPresent(why -> {
            throw new RuleException(RuleError.MALFORMED_SERVICE, "externalIP " + vip + " is " + why);
        });
        String privateIp = str(a.privateIP);
        if (!privateIp.isEmpty() && !Ipv4.isAddress(privateIp)) {
            throw new RuleException(RuleError.MALFORMED_PRIVATE_IP, "privateIP " + privateIp);
        }
        String proto = str(a.protocol);
        long timeout = num(a.inactiveTimeOut);
        if (timeout > MAX_TIMEOUT || timeout < 0) {
            throw new RuleException(RuleError.SERVICE_ARGS, "inactiveTimeOut " + timeout + " not in 0.." + MAX_TIMEOUT);
        }
        if (timeout == 0) {
            timeout = proto.equals("tcp") || proto.equals("sctp") ? DEFAULT_TIMEOUT_TCP : DEFAULT_TIMEOUT_OTHER;
        }
        ProbeSpec probe = probe(a);
        int endpointCount = e.endpoints.size();
        if (endpointCount == 0 || endpointCount > RuleTable.MAX_ENDPOINTS) {
            throw new RuleException(RuleError.ENDPOINTS_RANGE,
                    endpointCount + " endpoints, 1.." + RuleTable.MAX_ENDPOINTS + " allowed");
        }
        if (proto.equals("icmp")) {
            throw new RuleException(RuleError.UNSUPPORTED, "protocol icmp: supported are tcp, udp, sctp");
        }
        Protocol protocol = Protocol.fromWire(proto).orElseThrow(
                () -> new RuleException(RuleError.MALFORMED_PROTO, "protocol '" + proto + "'"));
        List<String> secondaryIps = new ArrayList<>();
        if (e.secondaryIPs != null) {
            for (LoadbalanceEntry.SecondaryIp s : e.secondaryIPs) {
                secondaryIps.add(s == null ? "" : str(s.secondaryIP));
            }
        }
        if (!secondaryIps.isEmpty() && protocol != Protocol.SCTP) {
            throw new RuleException(RuleError.SECONDARY_IP_ARGS, "secondaryIPs are for sctp only");
        }
        if (secondaryIps.size() > 3) {
            throw new RuleException(RuleError.SECONDARY_IP_LEN, secondaryIps.size() + " secondaryIPs, 3 allowed");
        }
        long port = a.port;
        long portMax = num(a.portMax);
        if (port < 0 || port > 65535 || portMax < 0 || portMax > 65535 || (portMax != 0 && portMax < port)) {
            throw new RuleException(RuleError.PORT_RANGE, "port " + port + (portMax != 0 ? "-" + portMax : "")
                    + " not in 0..65535 or not ascending");
        }
        for (String s : secondaryIps) {
            if (!Ipv4.isAddress(s)) {
                throw new RuleException(RuleError.MALFORMED_SECONDARY_IP, "secondaryIP " + s);
            }
        }
        List<EndpointSpec> endpoints = new ArrayList<>();
        for (LoadbalanceEntry.Endpoint ep : e.endpoints) {
            if (!Ipv4.isAddress(ep.endpointIP)) {
                throw new RuleException(RuleError.MALFORMED_ENDPOINT, "endpointIP " + ep.endpointIP);
            }
            if (ep.targetPort < 0 || ep.targetPort > 65535 || ep.weight < 0 || ep.weight > 255) {
                throw new RuleException(RuleError.MALFORMED_ENDPOINT, "endpoint " + ep.endpointIP + " targetPort "
                        + ep.targetPort + " (0..65535) weight " + ep.weight + " (0..255)");
            }
            EndpointSpec spec = new EndpointSpec(ep.endpointIP, (int) ep.targetPort.longValue(), (int) ep.weight.longValue());
            if (endpoints.stream().noneMatch(x -> x.target().equals(spec.target()))) {
                endpoints.add(spec);
            }
        }
        List<String> sources = new ArrayList<>();
        if (e.allowedSources != null) {
            for (LoadbalanceEntry.AllowedSource s : e.allowedSources) {
                String prefix = s == null ? "" : str(s.prefix);
                if (!Ipv4.isPrefix(prefix)) {
                    throw new RuleException(RuleError.ALLOWED_SOURCE, "allowedSources prefix '" + prefix + "'");
                }
                sources.add(prefix);
            }
        }
        Selection sel = Selection.fromCode(num(a.sel)).orElseThrow();
        NatMode mode = NatMode.fromCode(num(a.mode)).orElseThrow();
        if (!sel.supported) {
            throw new RuleException(RuleError.UNSUPPORTED, "selection " + sel.label + " (" + sel.code
                    + ") needs upstream's eBPF data plane; nftables supports " + Selection.supportedLabels());
        }
        if (!mode.supported) {
            throw new RuleException(RuleError.UNSUPPORTED, "mode " + mode.label + " (" + mode.code
                    + ") needs upstream's eBPF data plane; nftables supports " + NatMode.supportedLabels());
        }
        RuleKey key = new RuleKey(vip, protocol, (int) port, (int) (portMax == port ? 0 : portMax),
                (int) num(a.block), str(a.host));
        boolean monitor = bool(a.monitor) || probe.active();
        return new LbRule(key, str(a.name), sel, mode, bool(a.bgp), monitor, (int) timeout, bool(a.managed),
                bool(a.snat), bool(a.egress), privateIp, (int) num(a.security), probe, secondaryIps, sources, endpoints);
    }

    private static ProbeSpec probe(LoadbalanceEntry.ServiceArguments a) {
        String type = str(a.probetype);
        long probePort = num(a.probeport);
        if (!type.isEmpty() && !RULE_PROBE_TYPES.contains(type)) {
            throw new RuleException(RuleError.PROBE_TYPE, "probetype " + type + " on a load-balancer rule: use one of "
                    + String.join(", ", RULE_PROBE_TYPES.stream().sorted().toList()));
        }
        boolean needsPort = type.equals("tcp") || type.equals("udp") || type.equals("sctp");
        if ((needsPort && probePort == 0) || (!needsPort && probePort != 0) || probePort < 0 || probePort > 65535) {
            throw new RuleException(RuleError.PROBE_PORT, "probetype '" + type + "' with probeport " + probePort);
        }
        if (type.isEmpty()) {
            return ProbeSpec.NONE;
        }
        long timeout = num(a.probeTimeout);
        long retries = num(a.probeRetries);
        return new ProbeSpec(type, (int) probePort, str(a.probereq), str(a.proberesp),
                (int) Math.min(timeout, MAX_TIMEOUT), (int) Math.min(Math.max(retries, 0), 100));
    }

    private static void checkSchema(LoadbalanceEntry e) {
        if (e == null || e.serviceArguments == null) {
            throw new SchemaException(SchemaException.REQUIRED, "serviceArguments in body is required");
        }
        LoadbalanceEntry.ServiceArguments a = e.serviceArguments;
        if (a.externalIP == null) {
            throw new SchemaException(SchemaException.REQUIRED, "serviceArguments.externalIP in body is required");
        }
        if (a.port == null) {
            throw new SchemaException(SchemaException.REQUIRED, "serviceArguments.port in body is required");
        }
        if (e.endpoints == null) {
            throw new SchemaException(SchemaException.REQUIRED, "endpoints in body is required");
        }
        for (int i = 0; i < e.endpoints.size(); i++) {
            LoadbalanceEntry.Endpoint ep = e.endpoints.get(i);
            String at = "endpoints." + i + ".";
            if (ep == null || ep.endpointIP == null) {
                throw new SchemaException(SchemaException.REQUIRED, at + "endpointIP in body is required");
            }
            if (ep.targetPort == null) {
                throw new SchemaException(SchemaException.REQUIRED, at + "targetPort in body is required");
            }
            if (ep.weight == null) {
                throw new SchemaException(SchemaException.REQUIRED, at + "weight in body is required");
            }
        }
        if (a.protocol != null && !a.protocol.isEmpty() && !PROTOCOLS.contains(a.protocol)) {
            throw new SchemaException(SchemaException.ENUM,
                    "serviceArguments.protocol in body should be one of [tcp udp sctp icmp]");
        }
        if (num(a.sel) != 0 && Selection.fromCode(num(a.sel)).isEmpty()) {
            throw new SchemaException(SchemaException.ENUM, "serviceArguments.sel in body should be one of [0 1 2 3 4 5 6]");
        }
        if (num(a.mode) != 0 && NatMode.fromCode(num(a.mode)).isEmpty()) {
            throw new SchemaException(SchemaException.ENUM, "serviceArguments.mode in body should be one of [0 1 2 3 4 5]");
        }
        if (a.probetype != null && !a.probetype.isEmpty() && !PROBE_TYPES.contains(a.probetype)) {
            throw new SchemaException(SchemaException.ENUM,
                    "serviceArguments.probetype in body should be one of [tcp udp sctp http https ping none]");
        }
    }

    /** The rule as GET returns it: the fields upstream echoes, with effective values and endpoint state. */
    public static LoadbalanceEntry toWire(LbRule r, Map<EndpointSpec, Boolean> endpointUp) {
        return toWire(r, endpointUp, Map.of());
    }

    /** As GET shows it, with each endpoint's {@code packets:bytes} ({@code 0:0} before any traffic). */
    public static LoadbalanceEntry toWire(LbRule r, Map<EndpointSpec, Boolean> endpointUp, Map<String, String> counters) {
        LoadbalanceEntry e = new LoadbalanceEntry();
        LoadbalanceEntry.ServiceArguments a = new LoadbalanceEntry.ServiceArguments();
        RuleKey k = r.key();
        a.externalIP = k.vip();
        a.port = (long) k.port();
        a.portMax = k.isRange() ? (long) k.portMax() : null;
        a.protocol = k.protocol().wire();
        a.block = (long) k.block();
        a.host = k.host();
        a.sel = (long) r.selection().code;
        a.mode = (long) r.mode().code;
        a.bgp = r.bgp();
        a.monitor = r.monitor();
        a.inactiveTimeOut = (long) r.inactiveTimeoutSeconds();
        a.managed = r.managed();
        a.name = r.name();
        a.snat = r.snat();
        a.egress = r.egress();
        a.security = (long) r.security();
        a.probetype = r.probe().active() ? r.probe().type() : null;
        a.probeport = (long) r.probe().port();
        e.serviceArguments = a;
        e.secondaryIPs = r.secondaryIps().isEmpty() ? null : r.secondaryIps().stream().map(s -> {
            LoadbalanceEntry.SecondaryIp x = new LoadbalanceEntry.SecondaryIp();
            x.secondaryIP = s;
            return x;
        }).toList();
        e.allowedSources = r.allowedSources().isEmpty() ? null : r.allowedSources().stream().map(s -> {
            LoadbalanceEntry.AllowedSource x = new LoadbalanceEntry.AllowedSource();
            x.prefix = s;
            return x;
        }).toList();
        e.endpoints = r.endpoints().stream().map(ep -> {
            LoadbalanceEntry.Endpoint x = new LoadbalanceEntry.Endpoint();
            x.endpointIP = ep.ip();
            x.targetPort = (long) ep.port();
            x.weight = (long) ep.weight();
            x.state = endpointUp.getOrDefault(ep, true) ? "active" : "inactive";
            x.counter = counters.getOrDefault(ep.target(), "0:0");
            return x;
        }).toList();
        return e;
    }

    /** The rule as stored on disk: everything needed to recreate it, no runtime state. */
    public static LoadbalanceEntry toStored(LbRule r) {
        LoadbalanceEntry e = toWire(r, Map.of());
        LoadbalanceEntry.ServiceArguments a = e.serviceArguments;
        a.probereq = r.probe().request();
        a.proberesp = r.probe().response();
        a.probeTimeout = (long) r.probe().timeoutSeconds();
        a.probeRetries = (long) r.probe().retries();
        a.privateIP = r.privateIp();
        for (LoadbalanceEntry.Endpoint ep : e.endpoints) {
            ep.state = null;
            ep.counter = null;
        }
        return e;
    }
}
