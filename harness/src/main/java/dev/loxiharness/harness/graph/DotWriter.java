package dev.loxiharness.harness.graph;

import dev.loxiharness.harness.graph.Diagram.Hop;
import dev.loxiharness.harness.graph.Diagram.Pod;
import dev.loxiharness.harness.graph.Diagram.VipPath;
import dev.loxiharness.harness.model.Topology;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Diagram} as Graphviz DOT, laid out top down along the way in: clients first, then each
 * network (a wide bar) and the nodes on it, down to the Kubernetes nodes and their pods. Nodes are
 * tables (name, roles and AS, one row per interface, from which the link to its network leaves;
 * containers marked); BGP sessions are lines coloured by {@link SessionState}; each VIP's packet path
 * is a bold arrowed line of its own colour, and a hop that goes nowhere ends in a red note saying why.
 * Sessions and paths do not move nodes ({@code constraint=false}): the wiring alone decides the layout.
 */
public final class DotWriter {
    static final List<String> PATH_COLOURS = List.of("#1565c0", "#6a1b9a", "#00838f", "#ad1457", "#4e342e");
    private static final String LINK = "#78909c";
    private static final String BROKEN = SessionState.DOWN.colour();
    private static final String FONT = "Helvetica";

    private final Diagram d;
    private final Map<String, Integer> depth;
    private final StringBuilder out = new StringBuilder();

    private DotWriter(Diagram d) {
        this.d = d;
        this.depth = depths(d.topology());
    }

    public static String write(Diagram d) {
        return new DotWriter(d).render();
    }

    private String render() {
        Topology t = d.topology();
        line("digraph " + q(t.name()) + " {");
        line("  graph [rankdir=TB, fontname=" + q(FONT) + ", fontsize=11, nodesep=0.6, ranksep=0.55, labelloc=t, label=<" + legend() + ">];");
        line("  node [fontname=" + q(FONT) + ", fontsize=10];");
        line("  edge [fontname=" + q(FONT) + ", fontsize=9];");
        t.networks().forEach((name, net) -> line("  " + q(netId(name)) + " [shape=box, style=\"filled,rounded\", fillcolor=\"#cfd8dc\", color="
                + q(LINK) + ", height=0.3, width=3.2, label=<<B>" + html(name) + "</B>  " + html(net.subnet()) + ">];"));
        t.nodes().forEach((name, node) -> line("  " + q(nodeId(name)) + " [shape=plain, label=<" + nodeTable(name, node) + ">];"));
        for (Pod p : d.pods()) {
            String where = p.ip() == null ? (p.node() == null ? "node chosen at up" : "on " + p.node())
                    : p.ip() + (p.node() == null ? "" : " on " + p.node());
            line("  " + q(p.id()) + " [shape=box, style=\"filled,rounded\", fillcolor=\"#fff8e1\", color=\"#8d6e63\", label=<<B>" + html(p.id())
                    + "</B><BR/><FONT POINT-SIZE=\"9\">" + html(where) + "</FONT>>];");
        }
        links(t);
        sessions();
        paths();
        line("}");
        return out.toString();
    }

    /** Title and the key to the colours. */
    private String legend() {
        String state = "<TD><FONT COLOR=\"%s\">%s %s</FONT></TD>";
        return "<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"3\"><TR><TD COLSPAN=\"6\"><B>" + html(d.title()) + "</B></TD></TR><TR>"
                + String.format(state, SessionState.ESTABLISHED.colour(), "&#9472;&#9472;", "Established")
                + String.format(state, SessionState.CONNECTING.colour(), "&#9472;&#9472;", "Active / Connect / OpenSent")
                + String.format(state, SessionState.DOWN.colour(), "&#9472;&#9472;", "Idle / down / no answer")
                + String.format(state, SessionState.UNKNOWN.colour(), "- -", "not running / one-sided")
                + String.format(state, PATH_COLOURS.get(0), "&#9472;&#9654;", "packet to a VIP")
                + "</TR></TABLE>";
    }

    private String nodeTable(String name, Topology.Node node) {
        StringBuilder s = new StringBuilder("<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\" COLOR=\"#546e7a\" BGCOLOR=\"white\">");
        s.append("<TR><TD BGCOLOR=\"").append(roleColour(node)).append("\"><B>").append(html(name)).append("</B></TD></TR>");
        Long as = d.asNumbers().get(name);
        s.append("<TR><TD><FONT POINT-SIZE=\"9\">").append(html(String.join(", ", node.roles()))).append(as == null ? "" : " &#183; AS " + as)
                .append("</FONT></TD></TR>");
        for (int i = 0; i < node.interfaces().size(); i++) {
            Topology.Interface itf = node.interfaces().get(i);
            s.append("<TR><TD ALIGN=\"LEFT\">").append(html(node.interfaceName(i) + " " + itf.address()))
                    .append("</TD></TR>");
        }
        for (String lo : node.loopback()) {
            s.append("<TR><TD ALIGN=\"LEFT\">").append(html("lo " + lo)).append("</TD></TR>");
        }
        if (node.isContainer()) {
            String container = node.container() != null && node.container().name() != null ? node.container().name() : name;
            s.append("<TR><TD BGCOLOR=\"#e3f2fd\"><FONT POINT-SIZE=\"9\">").append(html("container " + container + " (" + node.image() + ")"))
                    .append("</FONT></TD></TR>");
        }
        return s.append("</TABLE>").toString();
    }

    private static String roleColour(Topology.Node node) {
        if (node.has("loxilb")) {
            return "#bbdefb";
        }
        if (node.has("router")) {
            return "#ffe0b2";
        }
        if (node.has("client")) {
            return "#e1bee7";
        }
        return node.has("calico-node") || node.has("kube-proxy") || node.has("control-plane") ? "#c8e6c9" : "#eceff1";
    }

    /** Each interface to its network (labelled with the interface's name), and each pod to the node it runs on. */
    private void links(Topology t) {
        t.nodes().forEach((name, node) -> {
            for (int i = 0; i < node.interfaces().size(); i++) {
                edge(nodeId(name), netId(node.interfaces().get(i).network()), false, "color=" + q(LINK) + ", penwidth=2, fontcolor=" + q(LINK)
                        + ", label=" + q(node.interfaceName(i)));
            }
        });
        for (Pod p : d.pods()) {
            if (p.node() != null && t.nodes().containsKey(p.node())) {
                edge(nodeId(p.node()), p.id(), false, "style=dotted, color=\"#8d6e63\"");
            }
        }
    }

    /**
     * An edge written from whichever end is nearer the clients, so that every edge points down the
     * ranks and the picture reads top down along the way in; {@code arrow} puts the head at {@code to}.
     */
    private void edge(String from, String to, boolean arrow, String attrs) {
        int a = depth.getOrDefault(from, Integer.MAX_VALUE);
        int b = depth.getOrDefault(to, Integer.MAX_VALUE);
        boolean down = a <= b;
        String dir = !arrow ? "none" : down ? "forward" : "back";
        // between two nodes of one rank (Calico's mesh) an edge would push one of them down
        line("  " + q(down ? from : to) + " -> " + q(down ? to : from) + " [dir=" + dir + (a == b ? ", constraint=false" : "") + ", " + attrs + "];");
    }

    /** Hops from the clients (or the first node) over node-network links: what decides each rank. */
    private static Map<String, Integer> depths(Topology t) {
        Map<String, Set<String>> adj = new HashMap<>();
        t.nodes().forEach((name, node) -> node.interfaces().forEach(i -> {
            adj.computeIfAbsent(nodeId(name), k -> new LinkedHashSet<>()).add(netId(i.network()));
            adj.computeIfAbsent(netId(i.network()), k -> new LinkedHashSet<>()).add(nodeId(name));
        }));
        Deque<String> todo = new ArrayDeque<>();
        Map<String, Integer> depth = new HashMap<>();
        t.nodes().forEach((name, node) -> {
            if (node.has("client")) {
                depth.put(nodeId(name), 0);
                todo.add(nodeId(name));
            }
        });
        if (todo.isEmpty() && !t.nodes().isEmpty()) {
            String first = nodeId(t.nodes().keySet().iterator().next());
            depth.put(first, 0);
            todo.add(first);
        }
        while (!todo.isEmpty()) {
            String at = todo.poll();
            for (String next : adj.getOrDefault(at, Set.of())) {
                if (!depth.containsKey(next)) {
                    depth.put(next, depth.get(at) + 1);
                    todo.add(next);
                }
            }
        }
        return depth;
    }

    private void sessions() {
        for (Diagram.Session s : d.sessions()) {
            String to = s.session().peerNode() != null ? nodeId(s.session().peerNode()) : "addr:" + s.to();
            if (s.session().peerNode() == null) {
                line("  " + q(to) + " [shape=box, style=dashed, color=" + q(LINK) + ", label=" + q(s.to() + "\n(no node has it)") + "];");
            }
            StringBuilder said = new StringBuilder();
            s.ends().forEach(e -> said.append('\n').append(e));
            if (s.expected()) {
                edge(nodeId(s.from()), to, false, "style=" + s.state().style() + ", penwidth=2.5, color=" + q(s.state().colour())
                        + ", fontcolor=" + q(s.state().colour()) + ", label=" + q(s.kind() + said));
            } else {
                edge(nodeId(s.from()), to, true, "arrowhead=open, arrowtail=open, style=dotted, penwidth=1.5, color=" + q(SessionState.UNKNOWN.colour())
                        + ", fontcolor=" + q(SessionState.UNKNOWN.colour()) + ", label=" + q(s.kind() + " one-sided" + said));
            }
        }
    }

    private void paths() {
        for (int v = 0; v < d.paths().size(); v++) {
            VipPath p = d.paths().get(v);
            String colour = PATH_COLOURS.get(v % PATH_COLOURS.size());
            boolean first = true;
            for (Hop h : p.hops()) {
                String label = (first ? "VIP " + p.vip().label() + "\n" : "") + h.how();
                first = false;
                if (h.broken()) {
                    String note = "nowhere:" + v + ":" + h.from();
                    line("  " + q(note) + " [shape=note, color=" + q(BROKEN) + ", fontcolor=" + q(BROKEN) + ", label=" + q(label) + "];");
                    edge(nodeId(h.from()), note, true, "color=" + q(BROKEN) + ", penwidth=3, style=dashed, arrowhead=tee, arrowtail=tee");
                } else {
                    edge(nodeId(h.from()), nodeId(h.to()), true, "color=" + q(colour) + ", penwidth=3, arrowsize=0.9, fontcolor=" + q(colour)
                            + ", label=" + q(label));
                }
            }
        }
    }

    private static String nodeId(String name) {
        return PacketPaths.isPod(name) ? name : "node:" + name;
    }

    private static String netId(String name) {
        return "net:" + name;
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    /** A DOT quoted string. */
    static String q(String s) {
        return "\"" + esc(s) + "\"";
    }

    /** Inside a DOT quoted string: backslashes and quotes escaped, line breaks as DOT's {@code \n}. */
    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Text inside an HTML-like label. */
    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
