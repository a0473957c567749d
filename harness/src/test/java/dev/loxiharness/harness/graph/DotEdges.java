package dev.loxiharness.harness.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The nodes and edges of DOT text as {@link DotWriter} writes it (one statement a line), with their attributes unquoted. */
record DotEdges(Map<String, Map<String, String>> nodes, List<Edge> edges) {
    private static final Pattern EDGE = Pattern.compile("^\\s*\"([^\"]+)\" -> \"([^\"]+)\" \\[(.*)\\];$");
    private static final Pattern NODE = Pattern.compile("^\\s*\"([^\"]+)\" \\[(.*)\\];$");
    private static final Pattern ATTR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|<.*>(?=[,\\]]|$)|[^,]+)");

    record Edge(String from, String to, Map<String, String> attrs) {
        String attr(String name) {
            return attrs.getOrDefault(name, "");
        }

        /** Whether it joins {@code a} and {@code b}, written either way round. */
        boolean joins(String a, String b) {
            return from.equals(a) && to.equals(b) || from.equals(b) && to.equals(a);
        }

        /** Its arrow points from {@code a} to {@code b} (written as {@code a -> b} forward or {@code b -> a} back). */
        boolean points(String a, String b) {
            return from.equals(a) && to.equals(b) && attr("dir").equals("forward") || from.equals(b) && to.equals(a) && attr("dir").equals("back");
        }
    }

    static DotEdges parse(String dot) {
        Map<String, Map<String, String>> nodes = new LinkedHashMap<>();
        List<Edge> edges = new ArrayList<>();
        for (String line : dot.lines().toList()) {
            Matcher e = EDGE.matcher(line);
            if (e.matches()) {
                edges.add(new Edge(e.group(1), e.group(2), attrs(e.group(3))));
                continue;
            }
            Matcher n = NODE.matcher(line);
            if (n.matches()) {
                nodes.put(n.group(1), attrs(n.group(2)));
            }
        }
        return new DotEdges(nodes, edges);
    }

    List<Edge> between(String a, String b) {
        return edges.stream().filter(e -> e.joins(a, b)).toList();
    }

    /** The edges of one colour that point from {@code a} to {@code b}. */
    List<Edge> arrows(String a, String b, String colour) {
        return edges.stream().filter(e -> e.points(a, b) && e.attr("color").equals(colour)).toList();
    }

    private static Map<String, String> attrs(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ATTR.matcher(list);
        while (m.find()) {
            String v = m.group(2).trim();
            boolean quoted = v.length() > 1 && v.startsWith("\"") && v.endsWith("\"");
            out.put(m.group(1), quoted ? v.substring(1, v.length() - 1).replace("\\n", "\n").replace("\\\"", "\"") : v);
        }
        return out;
    }
}
