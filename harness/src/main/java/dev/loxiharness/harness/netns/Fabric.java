package dev.loxiharness.harness.netns;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.harness.backend.Progress;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.state.StateDir;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The topology's wires: a namespace ({@code <prefix>-lan}) holding one bridge per network, and for
 * every interface of a node a veth pair made inside our namespaces (node side named as the file
 * says, switch side {@code vN} on the bridge), so the root namespace never holds a link of ours.
 */
final class Fabric {
    private final Topology topology;
    private final StateDir state;
    private final String lan;

    Fabric(Topology topology, StateDir state) {
        this.topology = topology;
        this.state = state;
        this.lan = NetnsBackend.prefix(topology.name()) + "-lan";
    }

    void wire(NetnsTopology topo, Progress progress) {
        List<String> all = new ArrayList<>(List.of(lan));
        topo.nodes().values().forEach(n -> all.add(((NamespaceNode) n).namespace()));
        for (String ns : all) {
            state.recordNamespace(ns);
            Commands.run(List.of("ip", "netns", "add", ns)).orThrow();
        }
        IpBatch lanBatch = new IpBatch(lan).add("link set lo up");
        topology.networks().keySet().forEach(net -> lanBatch.add("link add " + net + " type bridge")
                .add("link set " + net + " up"));
        lanBatch.run();
        progress.step("namespaces: " + all.size() + " (" + lan + " holds the networks: "
                + String.join(", ", topology.networks().keySet()) + ")");
        int port = 0;
        for (Map.Entry<String, Topology.Node> e : topology.nodes().entrySet()) {
            Topology.Node node = e.getValue();
            NamespaceNode ns = (NamespaceNode) topo.node(e.getKey());
            IpBatch b = new IpBatch(ns.namespace()).add("link set lo up");
            for (int i = 0; i < node.interfaces().size(); i++) {
                Topology.Interface itf = node.interfaces().get(i);
                String swPort = "v" + port++;
                b.add("link add " + node.interfaceName(i) + " type veth peer name " + swPort + " netns " + lan);
                b.add("addr add " + itf.address() + " dev " + node.interfaceName(i));
                b.add("link set " + node.interfaceName(i) + " up");
                lanBatch.add("link set " + swPort + " master " + itf.network()).add("link set " + swPort + " up");
            }
            node.loopback().forEach(a -> b.add("addr add " + a + " dev lo"));
            node.routes().forEach(r -> b.add("route replace " + r.to() + " via " + r.via()));
            b.run();
            if (NetnsBackend.forwards(node)) {
                ns.inNetworkSysctl("net.ipv4.ip_forward", "1");
            }
        }
        lanBatch.run();
        progress.step("links: " + port + " interfaces on " + topology.networks().size() + " networks, addresses and routes set");
    }
}
