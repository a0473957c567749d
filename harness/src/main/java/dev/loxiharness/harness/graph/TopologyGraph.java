package dev.loxiharness.harness.graph;

import dev.loxiharness.harness.backend.RunningTopology;
import dev.loxiharness.harness.model.Topology;
import dev.loxiharness.harness.probe.BgpNeighbor;
import dev.loxiharness.harness.probe.BirdProtocol;
import dev.loxiharness.harness.roles.BgpSessions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The picture of a topology ({@code ./topology graph}, and each scenario's report): from its file
 * before {@code up}, asking nothing, or from the running topology, asking its daemons through the
 * probes once. {@link DotWriter} draws it, {@link Graphviz} renders it.
 */
public final class TopologyGraph {
    private static final int SAID_MAX = 40;

    private TopologyGraph() {
    }

    /** The file as planned: sessions not known ({@link SessionState#UNKNOWN}), packet paths as the file sets them up. */
    public static Diagram planned(Topology t) {
        PlannedForwarding f = new PlannedForwarding(t);
        List<Diagram.Session> sessions = BgpSessions.sessions(t).stream()
                .map(s -> new Diagram.Session(s, List.of(), SessionState.UNKNOWN)).toList();
        return new Diagram(t, "file " + t.source().getFileName(), false, Instant.now(), asNumbers(t), sessions, PacketPaths.walk(t, f), f.pods());
    }

    /** The running topology now: each session as its speakers report it, each VIP's path as the kernels and loxilbs forward it. */
    public static Diagram observed(RunningTopology topo) {
        Topology t = topo.topology();
        Observed seen = Observed.read(topo);
        List<Diagram.Session> sessions = new ArrayList<>();
        for (BgpSessions.Session s : BgpSessions.sessions(t)) {
            List<Diagram.End> ends = new ArrayList<>();
            ends.add(end(seen, s.from()));
            if (s.back() != null) {
                ends.add(end(seen, s.back()));
            }
            SessionState state = ends.stream().map(Diagram.End::state).reduce(SessionState.UNKNOWN, SessionState::worse);
            sessions.add(new Diagram.Session(s, ends, state));
        }
        ObservedForwarding f = new ObservedForwarding(t, seen);
        return new Diagram(t, "live, " + topo.backend() + " backend", true, seen.at, asNumbers(t), sessions, PacketPaths.walk(t, f),
                f.pods());
    }

    /** What one speaker says of its neighbour {@code n}: gobgpd's session state, or BIRD's protocol state. */
    private static Diagram.End end(Observed seen, BgpSessions.Neighbor n) {
        if (n.gobgpd()) {
            Observed.Reading<List<BgpNeighbor>> r = seen.gobgp.get(n.node());
            if (r == null || !r.ok()) {
                return new Diagram.End(n.node(), "gobgp: " + (r == null ? "no answer" : r.error()), SessionState.DOWN);
            }
            Optional<BgpNeighbor> mine = r.value().stream().filter(x -> x.address().equals(n.address())).findFirst();
            return mine.map(x -> new Diagram.End(n.node(), x.state(), SessionState.of(x.state())))
                    .orElse(new Diagram.End(n.node(), "no neighbour " + n.address() + " in gobgp", SessionState.DOWN));
        }
        Observed.Reading<List<BirdProtocol>> r = seen.bird.get(n.node());
        if (r == null || !r.ok()) {
            return new Diagram.End(n.node(), "birdc: " + (r == null ? "no answer" : r.error()), SessionState.DOWN);
        }
        Optional<BirdProtocol> mine = r.value().stream().filter(p -> p.proto().equals("BGP") && p.peer().equals(n.address())).findFirst();
        return mine.map(p -> {
            String said = (p.info().isEmpty() ? p.state() : p.info()).replaceAll("\\s+", " ");
            said = said.length() > SAID_MAX ? said.substring(0, SAID_MAX) + "..." : said;
            return new Diagram.End(n.node(), said, p.state().equals("down") ? SessionState.DOWN : SessionState.of(said));
        }).orElse(new Diagram.End(n.node(), "no BGP protocol for " + n.address() + " in BIRD", SessionState.DOWN));
    }

    /** Each BGP speaker's AS, from what it is configured with. */
    private static Map<String, Long> asNumbers(Topology t) {
        Map<String, Long> out = new LinkedHashMap<>();
        t.nodes().forEach((name, node) -> {
            if (node.bgp() != null) {
                out.put(name, node.bgp().as());
            }
        });
        BgpSessions.neighbors(t).forEach(n -> out.putIfAbsent(n.node(), n.as()));
        return out;
    }
}
