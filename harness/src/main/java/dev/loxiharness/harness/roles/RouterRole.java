package dev.loxiharness.harness.roles;

import dev.loxiharness.harness.backend.Node;
import dev.loxiharness.harness.model.Topology;

/**
 * An external router: forwarding, and with {@code bgp:} BIRD advertising its connected networks and
 * installing what it learns; without it, static routes only (the seed's section 3).
 */
public final class RouterRole extends NamedRole {
    public RouterRole() {
        super("router", true);
    }

    @Override
    public void start(Node node, Topology topology) {
        if (node.spec().bgp() != null) {
            Bird.start(node, config(node.spec()));
        }
    }

    static String config(Topology.Node node) {
        Topology.Bgp bgp = node.bgp();
        String id = bgp.routerId() != null ? bgp.routerId() : node.primaryAddress();
        StringBuilder s = new StringBuilder();
        s.append("log stderr all;\n");
        s.append("router id ").append(id).append(";\n");
        s.append("protocol device {}\n");
        StringBuilder exported = new StringBuilder();
        for (Topology.Interface itf : node.interfaces()) {
            if (bgp.export().contains(itf.network())) {
                exported.append(exported.length() == 0 ? "" : ", ").append('"')
                        .append(node.interfaceName(node.interfaces().indexOf(itf))).append('"');
            }
        }
        if (exported.length() > 0) {
            s.append("protocol direct { ipv4; interface ").append(exported).append("; }\n");
        }
        s.append("protocol kernel { ipv4 { import none; export where source = RTS_BGP; }; merge paths on; }\n");
        for (Topology.Neighbor n : bgp.neighbors()) {
            s.append("protocol bgp ").append(Bird.protocolName("Peer", n.address())).append(" { local as ").append(bgp.as())
                    .append("; neighbor ").append(n.address()).append(" as ").append(n.as()).append("; ")
                    .append(Bird.FAST_TIMERS)
                    .append(" ipv4 { import all; export where source = RTS_DEVICE || source = RTS_BGP; }; }\n");
        }
        return s.toString();
    }
}
