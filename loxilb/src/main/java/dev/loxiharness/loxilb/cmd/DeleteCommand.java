package dev.loxiharness.loxilb.cmd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loxicmd delete ...}: upstream's {@code cmd/delete} for load balancers, endpoints and BGP peers. */
@Command(name = "delete", description = "Delete a Load balance features in the LoxiLB.",
        subcommands = {DeleteCommand.Lb.class, DeleteCommand.Endpoint.class, DeleteCommand.BgpNeighbor.class})
final class DeleteCommand extends GroupCommand {
    @Command(name = "lb", aliases = "loadbalancer", description = "Delete a LoadBalancer")
    static final class Lb extends Subcommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "EXTERNAL-IP")
        String externalIP;
        @Option(names = "--tcp", description = "TCP port list can be specified as '<portMin>-<portMax>'")
        String tcp = "";
        @Option(names = "--udp", description = "UDP port list can be specified as '<portMin>-<portMax>'")
        String udp = "";
        @Option(names = "--sctp", description = "SCTP port list can be specified as '<portMin>-<portMax>'")
        String sctp = "";
        @Option(names = "--icmp", arity = "0..1", description = "ICMP rule")
        boolean icmp;
        @Option(names = "--bgp", arity = "0..1", description = "BGP enable information")
        boolean bgp;
        @Option(names = "--mark", description = "Mark num to segregate a load-balancer VIP service")
        int mark;
        @Option(names = "--name", description = "Name for load balancer rule")
        String name = "";
        @Option(names = "--host", description = "Ingress Host URL Path (default any)")
        String host = "";

        @Override
        int run(LoxicmdMain root) {
            if (!name.isEmpty()) {
                LoxiApi.Reply r = root.call("DELETE", LoxiApi.path(List.of("config/loadbalancer", "name", name), null), null);
                return root.printDebugAndResult(r) ? 0 : 1;
            }
            if (externalIP == null) {
                throw LoxicmdMain.invalid("not valid EXTERNAL-IP");
            }
            if (mark < 0 || mark > 0xffff) {
                throw LoxicmdMain.invalid("Error: --mark must be a 16-bit unsigned number");
            }
            Map<String, List<String>> ports = new TreeMap<>();
            for (Map.Entry<String, String> e : Map.of("tcp", tcp, "udp", udp, "sctp", sctp).entrySet()) {
                if (!e.getValue().isEmpty()) {
                    List<String> range = List.of(e.getValue().split("-", -1));
                    if (range.size() > 2) {
                        throw LoxicmdMain.invalid(String.format("Error: Too many ports in list to delete "
                                + "LoadBalancer(ExternalIP: %s, %s, Port:%s)", externalIP, e.getKey(), e.getValue()));
                    }
                    ports.put(e.getKey(), range);
                }
            }
            if (icmp) {
                ports.put("icmp", List.of("0", "0"));
            }
            root.out.print("PortNumberList: " + CreateCommand.goMap(ports) + "\n");
            String hostUrl = host.isEmpty() ? "any" : host;
            boolean ok = true;
            for (Map.Entry<String, List<String>> e : ports.entrySet()) {
                String min = e.getValue().get(0);
                String max = e.getValue().size() > 1 ? e.getValue().get(1) : "0";
                for (String p : List.of(min, max)) {
                    if (!p.matches("[+-]?\\d+")) {
                        throw LoxicmdMain.invalid(String.format(
                                "Error: Invalid port in list to delete LoadBalancer(ExternalIP: %s,Port:%s)", externalIP, p));
                    }
                }
                List<String> sub = List.of("hosturl", hostUrl, "externalipaddress", externalIP,
                        "port", min, "portmax", max, "protocol", e.getKey());
                root.out.print("subResources: [" + String.join(" ", sub) + "]\n");
                List<String> segments = new ArrayList<>(List.of("config/loadbalancer"));
                segments.addAll(sub);
                String path = LoxiApi.path(segments, Map.of("bgp", Boolean.toString(bgp), "block", Integer.toString(mark)));
                ok &= root.printDebugAndResult(root.call("DELETE", path, null));
            }
            return ok ? 0 : 1;
        }
    }

    @Command(name = "endpoint", aliases = {"EndPoint", "ep", "endpoints"},
            description = "Delete a LB EndPoint from monitoring")
    static final class Endpoint extends Subcommand {
        @Parameters(index = "0", paramLabel = "IP")
        String host;
        @Option(names = "--name", description = "Endpoint Identifier")
        String name = "";
        @Option(names = "--probetype", description = "Probe-type:ping,http,https,udp,tcp,sctp,none (default ping)")
        String probeType = "ping";
        @Option(names = "--probeport", description = "Custom l4port of the probe")
        int probePort;

        @Override
        int run(LoxicmdMain root) {
            CreateCommand.checkProbe(host, probeType, probePort);
            String path = LoxiApi.path(List.of("config/endpoint", "epipaddress", host),
                    Map.of("name", name, "probe_type", probeType, "probe_port", Integer.toString(probePort)));
            return root.printDebugAndResult(root.call("DELETE", path, null)) ? 0 : 1;
        }
    }

    @Command(name = "bgpneighbor", aliases = {"bgpnei", "bgpneigh"},
            description = "Delete a BGP Neighbor peer information")
    static final class BgpNeighbor extends Subcommand {
        @Parameters(index = "0", paramLabel = "PeerIP")
        String peerIp;
        @Parameters(index = "1", paramLabel = "RemoteAS")
        String remoteAs;

        @Override
        int run(LoxicmdMain root) {
            if (!LoxicmdMain.isIp(peerIp)) {
                throw LoxicmdMain.invalid("not valid <PeerIP> or <RemoteAs>\npeer IP '" + peerIp + "' is invalid format");
            }
            long as = -1;
            try {
                as = Long.parseLong(remoteAs);
            } catch (NumberFormatException e) {
                // reported below
            }
            if (as < 0 || as > 65535) {
                throw LoxicmdMain.invalid("not valid <PeerIP> or <RemoteAs>\nremoteAS '" + remoteAs + "' is invalid format");
            }
            String path = LoxiApi.path(List.of("config/bgp/neigh", peerIp), Map.of("remoteAs", remoteAs));
            return root.printDebugAndResult(root.call("DELETE", path, null)) ? 0 : 1;
        }
    }
}
