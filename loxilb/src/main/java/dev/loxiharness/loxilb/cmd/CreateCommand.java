package dev.loxiharness.loxilb.cmd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loxicmd create ...}: upstream's {@code cmd/create} for load balancers, endpoints and BGP peers. */
@Command(name = "create", description = "Create a Load balance features in the LoxiLB.",
        subcommands = {CreateCommand.Lb.class, CreateCommand.Endpoint.class, CreateCommand.BgpNeighbor.class})
final class CreateCommand extends GroupCommand {
    /** One {@code <port>[-<portMax>]:<targetPort>[-<targetPortMax>]} of {@code --tcp}/{@code --udp}/{@code --sctp}. */
    record PortPair(long port, long portMax, List<Long> targetPorts) {
    }

    /**
     * Parses port pairs as upstream's {@code GetPortPairList} does (same error texts), except that each
     * pair stays a rule of its own; pairs without exactly one {@code :} or with a malformed target range
     * are skipped, as upstream skips them.
     */
    static List<PortPair> portPairs(List<String> specs) {
        List<PortPair> pairs = new ArrayList<>();
        for (String spec : specs) {
            String[] pair = spec.split(":", -1);
            if (pair.length != 2) {
                continue;
            }
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (String p : pair[0].split("-", -1)) {
                long port = parsePort(p, "port '%s' is not integer");
                min = Math.min(min, port);
                max = Math.max(max, port);
            }
            String[] targets = pair[1].split("-", -1);
            if (targets.length > 2) {
                continue;
            }
            long startTp = parsePort(targets[0], "targetPort0 '%s' is not integer");
            long endTp = startTp;
            if (targets.length == 2) {
                endTp = parsePort(targets[1], "targetPort1 '%s' is not integer");
                if (endTp < startTp) {
                    throw LoxicmdMain.invalid(String.format("Error: targetPort2 '%s' <  targetPort2 '%s'",
                            targets[1], targets[0]));
                }
            }
            List<Long> tps = new ArrayList<>();
            for (long tp = startTp; tp <= endTp; tp++) {
                tps.add(tp);
            }
            pairs.add(new PortPair(min, max == min ? 0 : max, tps));
        }
        return pairs;
    }

    private static long parsePort(String s, String errorFormat) {
        try {
            long v = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            if (v >= 0 && v <= 65535) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below, with upstream's wording
        }
        throw LoxicmdMain.invalid("Error: " + String.format(errorFormat, s));
    }

    /** {@code --endpoints} as upstream's {@code GetEndpointWeightPairList}: split at the last {@code :}. */
    static Map<String, Long> endpointWeights(List<String> endpoints) {
        Map<String, Long> result = new LinkedHashMap<>();
        for (String ep : endpoints) {
            int idx = ep.lastIndexOf(':');
            if (idx < 0) {
                throw LoxicmdMain.invalid("Error: endpoint '" + ep + "' is invalid format");
            }
            String w = ep.substring(idx + 1);
            long weight;
            try {
                weight = Long.parseLong(w);
            } catch (NumberFormatException e) {
                weight = -1;
            }
            if (weight < 0 || weight > 255) {
                throw LoxicmdMain.invalid("Error: endpoint's weight '" + w + "' is invalid format");
            }
            result.put(ep.substring(0, idx), weight);
        }
        return result;
    }

    /** Go's {@code fmt} rendering of a {@code map[string][]string}: {@code map[tcp:[80:8080] udp:[53:53]]}. */
    static String goMap(Map<String, List<String>> map) {
        StringBuilder sb = new StringBuilder("map[");
        String sep = "";
        for (Map.Entry<String, List<String>> e : new TreeMap<>(map).entrySet()) {
            sb.append(sep).append(e.getKey()).append(":[").append(String.join(" ", e.getValue())).append(']');
            sep = " ";
        }
        return sb.append(']').toString();
    }

    @Command(name = "lb", aliases = "loadbalancer", description = "Create a LoadBalancer",
            footer = {"", "ex) loxicmd create lb 192.168.0.200 --tcp=80:32015 --endpoints=10.0.0.1:1",
                    "    loxicmd create lb 192.168.0.200 --tcp=8080-8081:32015 --endpoints=10.0.0.1:1"})
    static final class Lb extends Subcommand {
        @Parameters(index = "0", paramLabel = "IP", description = "External (service) IP")
        String externalIP;
        @Option(names = "--tcp", split = ",", description = "Port pairs can be specified as '<port>:<targetPort>'")
        List<String> tcp = new ArrayList<>();
        @Option(names = "--udp", split = ",", description = "Port pairs can be specified as '<port>:<targetPort>'")
        List<String> udp = new ArrayList<>();
        @Option(names = "--sctp", split = ",", description = "Port pairs can be specified as '<port>:<targetPort>'")
        List<String> sctp = new ArrayList<>();
        @Option(names = "--icmp", arity = "0..1", description = "ICMP Ping packet Load balancer")
        boolean icmp;
        @Option(names = "--mode", description = "NAT mode: onearm, fullnat, dsr, fullproxy, hostonearm")
        String mode = "";
        @Option(names = "--bgp", arity = "0..1", description = "Enable BGP in the load balancer")
        boolean bgp;
        @Option(names = "--monitor", arity = "0..1", description = "Enable monitoring end-points of this rule")
        boolean monitor;
        @Option(names = "--secips", split = ",", description = "Secondary IPs for SCTP multihoming rule")
        List<String> secIps = new ArrayList<>();
        @Option(names = "--select", description = "rr, hash, priority, persist, lc, n2, n3 (default rr)")
        String select = "rr";
        @Option(names = "--inatimeout", description = "Inactivity timeout (seconds) of a LB session")
        long inactiveTimeout;
        @Option(names = "--mark", description = "Mark num to segregate a load-balancer VIP service")
        long mark;
        @Option(names = "--endpoints", split = ",", description = "Endpoints as '<endpointIP>:<Weight>'")
        List<String> endpoints = new ArrayList<>();
        @Option(names = "--name", description = "Name for load balancer rule")
        String name = "";
        @Option(names = "--attachEP", arity = "0..1", description = "Attach endpoints to the load balancer rule")
        boolean attach;
        @Option(names = "--detachEP", arity = "0..1", description = "Detach endpoints from the load balancer rule")
        boolean detach;
        @Option(names = "--security", description = "Security mode: https, e2ehttps or none")
        String security = "";
        @Option(names = "--host", description = "Ingress Host URL Path")
        String host = "";
        @Option(names = "--sources", split = ",", description = "Allowed sources for this rule")
        List<String> sources = new ArrayList<>();
        @Option(names = "--ppv2en", arity = "0..1", description = "Enable proxy protocol v2")
        boolean ppv2;
        @Option(names = "--egress", arity = "0..1", description = "Specify egress rule")
        boolean egress;

        @Override
        int run(LoxicmdMain root) {
            if (!LoxicmdMain.isIp(externalIP)) {
                throw LoxicmdMain.invalid("Error: externel IP '" + externalIP + "' is invalid format");
            }
            if (inactiveTimeout < 0 || inactiveTimeout > 0xffffffffL || mark < 0 || mark > 0xffffffffL) {
                throw LoxicmdMain.invalid("Error: --inatimeout and --mark must be 32-bit unsigned numbers");
            }
            Map<String, List<String>> protoPairs = new TreeMap<>();
            if (!tcp.isEmpty()) {
                protoPairs.put("tcp", tcp);
            }
            if (!udp.isEmpty()) {
                protoPairs.put("udp", udp);
            }
            if (!sctp.isEmpty()) {
                protoPairs.put("sctp", sctp);
            }
            if (icmp) {
                protoPairs.put("icmp", List.of("0:0"));
            }
            if (sctp.isEmpty() && !secIps.isEmpty()) {
                throw LoxicmdMain.invalid("Secondary IPs allowed in SCTP only");
            }
            root.out.print("ProtoPortpair: " + goMap(protoPairs) + "\n");
            Map<String, Long> weights = endpointWeights(endpoints);

            List<LbModel> rules = new ArrayList<>();
            for (Map.Entry<String, List<String>> e : protoPairs.entrySet()) {
                List<PortPair> pairs = portPairs(e.getValue());
                if (pairs.isEmpty()) {
                    throw LoxicmdMain.invalid("portPair: None specified");
                }
                for (PortPair pair : pairs) {
                    rules.add(rule(e.getKey(), pair, weights));
                }
            }
            boolean ok = true;
            for (LbModel rule : rules) {
                LoxiApi.Reply r = root.call("POST", "config/loadbalancer", GoJson.compact(rule.toJson()));
                ok &= root.printDebugAndResult(r);
            }
            return ok ? 0 : 1;
        }

        private LbModel rule(String proto, PortPair pair, Map<String, Long> weights) {
            LbModel m = new LbModel();
            m.externalIP = externalIP;
            m.protocol = proto;
            m.port = pair.port();
            m.portMax = pair.portMax();
            m.sel = LbModel.selectNumber(select);
            m.bgp = bgp;
            m.monitor = monitor;
            m.mode = LbModel.modeNumber(mode);
            m.inactiveTimeOut = inactiveTimeout;
            m.block = mark;
            m.name = name;
            m.oper = attach ? 1 : detach ? 2 : 0;
            m.security = LbModel.securityNumber(security);
            m.host = host;
            m.proxyProtocolV2 = ppv2;
            m.egress = egress;
            for (Map.Entry<String, Long> ep : weights.entrySet()) {
                for (long tp : pair.targetPorts()) {
                    if (mode.equals("dsr") && tp != pair.port()) {
                        throw LoxicmdMain.invalid("Error: No port-translation in dsr mode");
                    }
                    if (m.endpoints == null) {
                        m.endpoints = new ArrayList<>();
                    }
                    m.endpoints.add(new LbModel.Endpoint(ep.getKey(), tp, ep.getValue()));
                }
            }
            if (!secIps.isEmpty()) {
                m.secondaryIPs = new ArrayList<>(secIps);
            }
            if (!sources.isEmpty()) {
                m.allowedSources = new ArrayList<>(sources);
            }
            return m;
        }
    }

    /** Probe-option checks shared with {@code delete endpoint}, upstream's messages. */
    static void checkProbe(String host, String probeType, int probePort) {
        if (!LoxicmdMain.isIp(host)) {
            throw LoxicmdMain.invalid("HOSTIP '" + host + "' is invalid format");
        }
        if (!List.of("http", "https", "ping", "tcp", "udp", "sctp", "none").contains(probeType)) {
            throw LoxicmdMain.invalid("probetype '" + probeType + "' is invalid");
        }
        if (List.of("http", "https", "tcp", "udp", "sctp").contains(probeType) && probePort == 0) {
            throw LoxicmdMain.invalid("probeport cant be 0 for '" + probeType + "' probes");
        }
        if (probeType.equals("ping") && probePort != 0) {
            throw LoxicmdMain.invalid("probeport should be 0 for '" + probeType + "' probes");
        }
    }

    /** Upstream's {@code EndPointMod}: the body of {@code POST config/endpoint}. */
    record EndpointMod(String hostName, String name, long inactiveReTries, String probeType, String probeReq,
                       String probeResp, long probeDuration, long probePort) {
    }

    /** Upstream's {@code BGPNeighborMod}: the body of {@code POST config/bgp/neigh}. */
    record BgpNeighborMod(String ipAddress, long remoteAs, long remotePort, boolean setMultiHop) {
    }

    @Command(name = "endpoint", aliases = {"Endpoint", "ep", "endpoints"},
            description = "Create a LB EndPoint for monitoring")
    static final class Endpoint extends Subcommand {
        @Parameters(index = "0", paramLabel = "IP")
        String host;
        @Option(names = {"--name", "--desc"}, description = "Endpoint Identifier")
        String name = "";
        @Option(names = "--probetype", description = "Probe-type:ping,http,https,udp,tcp,sctp,none (default ping)")
        String probeType = "ping";
        @Option(names = "--probereq", description = "If probe is http/https, one can specify additional uri path")
        String probeReq = "";
        @Option(names = "--proberesp", description = "If probe is http/https, one can specify custom response string")
        String probeResp = "";
        @Option(names = "--probeport", description = "Custom l4port to probe (http,https,tcp,udp,sctp)")
        int probePort;
        @Option(names = "--period", description = "Period of probing (default 60)")
        int period = 60;
        @Option(names = "--retries", description = "Number of retries before marking endPoint inactive (default 2)")
        int retries = 2;

        @Override
        int run(LoxicmdMain root) {
            checkProbe(host, probeType, probePort);
            if (period > 24 * 60 * 60) {
                throw LoxicmdMain.invalid("probe period is out of bounds");
            }
            EndpointMod body = new EndpointMod(host, name, retries, probeType, probeReq, probeResp,
                    Integer.toUnsignedLong(period), probePort & 0xffff);
            return root.printDebugAndResult(root.call("POST", "config/endpoint", GoJson.compact(body))) ? 0 : 1;
        }
    }

    @Command(name = "bgpneighbor", aliases = {"bgpnei", "bgpneigh"}, description = "Create a BGP Neighbor")
    static final class BgpNeighbor extends Subcommand {
        @Parameters(index = "0", paramLabel = "PeerIP")
        String peerIp;
        @Parameters(index = "1", paramLabel = "ASN")
        String asn;
        @Option(names = "--remotePort", description = "BGP Port number of the remote site (default 179)")
        int remotePort = 179;
        @Option(names = "--setMultiHtop", arity = "0..1", description = "Enable Multihop BGP")
        boolean multiHop;

        @Override
        int run(LoxicmdMain root) {
            if (!LoxicmdMain.isIp(peerIp)) {
                throw LoxicmdMain.invalid("Error: peer IP '" + peerIp + "' is invalid format");
            }
            long remoteAs;
            try {
                remoteAs = Long.parseLong(asn);
            } catch (NumberFormatException e) {
                throw LoxicmdMain.invalid("Error: strconv.Atoi: parsing \"" + asn + "\": invalid syntax");
            }
            // Upstream sends 0 (the daemon's default, 179) unless another port was asked for.
            BgpNeighborMod body = new BgpNeighborMod(peerIp, remoteAs, remotePort == 179 ? 0 : remotePort, multiHop);
            // Upstream prints no Debug line for this one.
            return root.printResult(root.call("POST", "config/bgp/neigh", GoJson.compact(body))) ? 0 : 1;
        }
    }
}
