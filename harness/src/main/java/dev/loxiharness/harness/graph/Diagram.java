package dev.loxiharness.harness.graph;

import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.roles.BgpSessions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the picture of a topology shows, before it is drawn: its networks and nodes (the topology
 * itself), every BGP session with the state its speakers report, the pods, and for each VIP the hops
 * a packet takes from the client to the pod. Made by {@link TopologyGraph} from a file (nothing
 * known live: states {@link SessionState#UNKNOWN}, paths as the file plans them) or from a running
 * topology (states and paths as its daemons and kernels say at {@link #at()}).
 */
public record Diagram(Topology topology, String source, boolean live, Instant at, Map<String, Long> asNumbers,
                      List<Session> sessions, List<VipPath> paths, List<Pod> pods) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    public Diagram {
        asNumbers = Map.copyOf(asNumbers);
        sessions = List.copyOf(sessions);
        paths = List.copyOf(paths);
        pods = List.copyOf(pods);
    }

    /** One end of a session as its speaker reports it: {@code said} is the speaker's own word, or why it said nothing. */
    public record End(String node, String said, SessionState state) {
        @Override
        public String toString() {
            return node + ": " + said;
        }
    }

    /** A session of {@link BgpSessions}, with what each end that was asked said; {@code state} is the worse of them. */
    public record Session(BgpSessions.Session session, List<End> ends, SessionState state) {
        public Session {
            ends = List.copyOf(ends);
        }

        /** Both ends name each other: it should be Established. One-sided neighbours are drawn apart. */
        public boolean expected() {
            return session.expected();
        }

        public String from() {
            return session.from().node();
        }

        /** The node at the other end, or the address when no node has it. */
        public String to() {
            return session.peerNode() != null ? session.peerNode() : session.from().address();
        }

        /** {@code eBGP 65002-64001} or {@code iBGP 64512}. */
        public String kind() {
            BgpSessions.Neighbor n = session.from();
            return n.as() == n.peerAs() ? "iBGP " + n.as() : "eBGP " + n.as() + "-" + n.peerAs();
        }

        /** What the ends said, e.g. {@code lb: ESTABLISHED, router: Established}; empty when nobody was asked. */
        public String said() {
            return ends.stream().map(End::toString).collect(Collectors.joining(", "));
        }
    }

    /** A VIP and port as loxilb serves it (or the file plans it), with the Service it belongs to when known. */
    public record Vip(String ip, int port, String protocol, String service) {
        public String label() {
            return ip + ":" + port + "/" + protocol + (service == null ? "" : " (" + service + ")");
        }
    }

    /** One hop of a packet towards a VIP: from a node to a node or pod, and how; {@code to} null when the packet goes nowhere. */
    public record Hop(String from, String to, String how) {
        public boolean broken() {
            return to == null;
        }
    }

    public record VipPath(Vip vip, List<Hop> hops) {
        public VipPath {
            hops = List.copyOf(hops);
        }

        public boolean broken() {
            return hops.isEmpty() || hops.stream().anyMatch(Hop::broken);
        }
    }

    /** A pod behind a VIP: {@code pod/NAMESPACE/NAME}, its node and address when it runs (null before). */
    public record Pod(String id, String node, String ip) {
    }

    /** The title line: the topology, where it was read from and when. */
    public String title() {
        return "topology " + topology.name() + ": " + source + (live ? " at " + TIME.format(at) : "");
    }

    /** The nodes of the file, then the pods: every name the picture shows as a box or ellipse. */
    public List<String> names() {
        List<String> out = new ArrayList<>(topology.nodes().keySet());
        pods.forEach(p -> out.add(p.id()));
        return out;
    }

    /** A short text for the terminal: sessions with their state, each VIP's hops. */
    public String summary() {
        StringBuilder s = new StringBuilder(title()).append('\n');
        s.append(sessions.isEmpty() ? "no BGP sessions\n" : "BGP sessions:\n");
        for (Session x : sessions) {
            String arrow = x.expected() ? " <-> " : " -> ";
            String state = !x.expected() ? "one-sided, not expected to establish" : live ? x.state().name() : "expected Established";
            s.append(String.format("  %-22s %-18s %s%s%n", x.from() + arrow + x.to(), x.kind(), state,
                    x.ends().isEmpty() ? "" : "   (" + x.said() + ")"));
        }
        for (VipPath p : paths) {
            s.append("VIP ").append(p.vip().label()).append(p.broken() ? ": BROKEN" : "").append('\n');
            Map<String, List<Hop>> byFrom = new LinkedHashMap<>();
            p.hops().forEach(h -> byFrom.computeIfAbsent(h.from(), k -> new ArrayList<>()).add(h));
            byFrom.forEach((from, hops) -> hops.forEach(h -> s.append(String.format("  %-28s %s%n",
                    from + " -> " + (h.broken() ? "(nowhere)" : h.to()), h.how()))));
        }
        return s.toString();
    }
}
