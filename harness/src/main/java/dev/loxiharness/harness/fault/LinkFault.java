package dev.loxiharness.harness.fault;

import dev.loxiharness.exec.Commands;
import dev.loxiharness.exec.ExecResult;
import dev.loxiharness.harness.backend.Node;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's interface taken down and up from the node's side ({@code ip link set IF down} in its
 * network namespace, the host's {@code ip}, so it works in a container without iproute2 too). The
 * other end of the wire sees the carrier go: on the netns backend that is a port of the network's
 * bridge, which goes to NO-CARRIER and forwards nothing to the node until the link is up again;
 * the node loses its connected routes on that link, and BGP sessions over it end when their hold
 * timer expires (a TCP session is not reset by a link going down).
 */
public final class LinkFault {
    private final Node node;
    private final String iface;

    LinkFault(Node node, String iface) {
        this.node = node;
        this.iface = iface;
    }

    public FaultRecord down() {
        return set("down");
    }

    public FaultRecord up() {
        return set("up");
    }

    private FaultRecord set(String state) {
        List<String> known = interfaces();
        if (!known.contains(iface)) {
            throw new IllegalArgumentException("no interface " + iface + " in node " + node.name() + " (" + node.describe() + "); it has: "
                    + String.join(", ", known));
        }
        Instant at = Instant.now();
        ip("link", "set", iface, state);
        String now = ip("-br", "link", "show", iface).stdout().strip().replaceAll("\\s+", " ");
        return new FaultRecord(at, node.name(), "link " + iface, "ip link set " + iface + " " + state + " (now: " + now + ")");
    }

    private List<String> interfaces() {
        return ip("-o", "link", "show").stdout().lines().map(l -> l.split(":\\s+")[1].replaceFirst("@.*", "")).toList();
    }

    private ExecResult ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return Commands.run(node.inNetwork(cmd)).orThrow();
    }
}
