package dev.loxiharness.loxilb.cmd;

import static dev.loxiharness.loxilb.wire.GoZero.bool;
import static dev.loxiharness.loxilb.wire.GoZero.num;
import static dev.loxiharness.loxilb.wire.GoZero.str;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.loxilb.wire.Json;
import dev.loxiharness.loxilb.wire.LoadbalanceEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * loxicmd's own view of a load-balancer rule ({@code pkg/api/loadBalancer.go LoadBalancerModel}),
 * which is what upstream prints with {@code -o json}, saves with {@code save}, and POSTs: its keys
 * ({@code BGP}, {@code Monitor}), order and omitempty rules differ from the daemon's
 * {@link LoadbalanceEntry}, which is used to read the wire.
 */
final class LbModel {
    String externalIP = "";
    long port;
    long portMax;
    String protocol = "";
    long sel;
    long mode;
    boolean bgp;
    boolean monitor;
    long inactiveTimeOut;
    long block;
    boolean managed;
    String name = "";
    boolean snat;
    long oper;
    long security;
    String host = "";
    boolean proxyProtocolV2;
    boolean egress;
    /** {@code null} stands for Go's nil slice, printed as {@code null}. */
    List<String> secondaryIPs;
    List<String> allowedSources;
    List<Endpoint> endpoints;

    static final class Endpoint {
        String endpointIP = "";
        long targetPort;
        long weight;
        String state = "";
        String counter = "";

        Endpoint(String endpointIP, long targetPort, long weight) {
            this.endpointIP = endpointIP;
            this.targetPort = targetPort;
            this.weight = weight;
        }

        Endpoint() {
        }
    }

    private static final String[] SELECT_NAMES = {"rr", "hash", "priority", "persist", "lc", "n2", "n3"};
    private static final String[] MODE_NAMES = {"default", "onearm", "fullnat", "dsr", "fullproxy", "hostonearm"};

    /**
     * Parses {@code {"<listKey>":[LoadbalanceEntry...]}}; a missing or null list gives {@code null}
     * (Go's nil slice), so that it is printed back as {@code null}.
     */
    static List<LbModel> parseList(String json, String listKey) throws JsonProcessingException {
        JsonNode list = LoxiApi.field(Json.MAPPER.readTree(json), listKey);
        if (list == null || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("\"" + listKey + "\" is not a list");
        }
        List<LbModel> rules = new ArrayList<>();
        for (JsonNode item : list) {
            LoadbalanceEntry entry = item.isNull() ? new LoadbalanceEntry()
                    : Json.MAPPER.treeToValue(item, LoadbalanceEntry.class);
            // The daemon's wire model has no proxyprotocolv2; loxicmd shows it, so read it from the tree.
            boolean ppv2 = LoxiApi.bool(LoxiApi.field(item, "serviceArguments"), "proxyprotocolv2");
            rules.add(from(entry, ppv2));
        }
        return rules;
    }

    static LbModel from(LoadbalanceEntry e, boolean proxyProtocolV2) {
        LbModel m = new LbModel();
        LoadbalanceEntry.ServiceArguments s = e.serviceArguments;
        if (s != null) {
            m.externalIP = str(s.externalIP);
            m.port = num(s.port);
            m.portMax = num(s.portMax);
            m.protocol = str(s.protocol);
            m.sel = num(s.sel);
            m.mode = num(s.mode);
            m.bgp = bool(s.bgp);
            m.monitor = bool(s.monitor);
            m.inactiveTimeOut = num(s.inactiveTimeOut);
            m.block = num(s.block);
            m.managed = bool(s.managed);
            m.name = str(s.name);
            m.snat = bool(s.snat);
            m.oper = num(s.oper);
            m.security = num(s.security);
            m.host = str(s.host);
            m.egress = bool(s.egress);
        }
        m.proxyProtocolV2 = proxyProtocolV2;
        if (e.secondaryIPs != null) {
            m.secondaryIPs = new ArrayList<>();
            e.secondaryIPs.forEach(ip -> m.secondaryIPs.add(ip == null ? "" : str(ip.secondaryIP)));
        }
        if (e.allowedSources != null) {
            m.allowedSources = new ArrayList<>();
            e.allowedSources.forEach(src -> m.allowedSources.add(src == null ? "" : str(src.prefix)));
        }
        if (e.endpoints != null) {
            m.endpoints = new ArrayList<>();
            for (LoadbalanceEntry.Endpoint ep : e.endpoints) {
                Endpoint x = new Endpoint();
                if (ep != null) {
                    x.endpointIP = str(ep.endpointIP);
                    x.targetPort = num(ep.targetPort);
                    x.weight = num(ep.weight);
                    x.state = str(ep.state);
                    x.counter = str(ep.counter);
                }
                m.endpoints.add(x);
            }
        }
        return m;
    }

    /** Upstream's sort key, {@code "%s|%05d|%s"} of external IP, port and protocol. */
    String sortKey() {
        return String.format("%s|%05d|%s", externalIP, port, protocol);
    }

    /** The rule's JSON as loxicmd marshals it. */
    Map<String, Object> toJson() {
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("externalIP", externalIP);
        svc.put("port", port);
        if (portMax != 0) {
            svc.put("portMax", portMax);
        }
        svc.put("protocol", protocol);
        svc.put("sel", sel);
        svc.put("mode", mode);
        svc.put("BGP", bgp);
        svc.put("Monitor", monitor);
        svc.put("inactiveTimeOut", inactiveTimeOut);
        svc.put("block", block);
        if (managed) {
            svc.put("managed", true);
        }
        if (!name.isEmpty()) {
            svc.put("name", name);
        }
        if (snat) {
            svc.put("snat", true);
        }
        if (oper != 0) {
            svc.put("oper", oper);
        }
        if (security != 0) {
            svc.put("security", security);
        }
        if (!host.isEmpty()) {
            svc.put("host", host);
        }
        svc.put("proxyprotocolv2", proxyProtocolV2);
        svc.put("egress", egress);

        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("serviceArguments", svc);
        rule.put("secondaryIPs", secondaryIPs == null ? null
                : secondaryIPs.stream().map(ip -> Map.of("secondaryIP", ip)).toList());
        rule.put("allowedSources", allowedSources == null ? null
                : allowedSources.stream().map(p -> Map.of("prefix", p)).toList());
        List<Object> eps = null;
        if (endpoints != null) {
            eps = new ArrayList<>();
            for (Endpoint ep : endpoints) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("endpointIP", ep.endpointIP);
                m.put("targetPort", ep.targetPort);
                m.put("weight", ep.weight);
                m.put("state", ep.state);
                m.put("counter", ep.counter);
                eps.add(m);
            }
        }
        rule.put("endpoints", eps);
        return rule;
    }

    /** {@code {"lbAttr":[...]}} of {@code rules} ({@code null} for none, as Go's nil slice). */
    static Map<String, Object> listJson(List<LbModel> rules) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("lbAttr", rules == null ? null : rules.stream().map(LbModel::toJson).toList());
        return top;
    }

    String portText() {
        return portMax == 0 ? Long.toString(port) : port + "-" + portMax;
    }

    String protocolText() {
        return switch ((int) security) {
            case 1 -> protocol + ":https";
            case 2 -> protocol + ":e2ehttps";
            default -> protocol;
        };
    }

    String selectText() {
        return sel >= 0 && sel < SELECT_NAMES.length ? SELECT_NAMES[(int) sel] : "rr";
    }

    String modeText() {
        String m = mode >= 0 && mode < MODE_NAMES.length ? MODE_NAMES[(int) mode] : "default";
        return m + (proxyProtocolV2 ? ":ppv2" : "") + (egress ? ":egress" : "");
    }

    static long selectNumber(String sel) {
        for (int i = 0; i < SELECT_NAMES.length; i++) {
            if (SELECT_NAMES[i].equals(sel)) {
                return i;
            }
        }
        return 0;
    }

    static long modeNumber(String mode) {
        // "default" is not accepted by name upstream; anything unknown is 0 as well.
        for (int i = 1; i < MODE_NAMES.length; i++) {
            if (MODE_NAMES[i].equals(mode)) {
                return i;
            }
        }
        return 0;
    }

    static long securityNumber(String sec) {
        return switch (sec == null ? "" : sec) {
            case "https", "tls" -> 1;
            case "e2ehttps", "e2etls" -> 2;
            default -> 0;
        };
    }
}
