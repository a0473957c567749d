package dev.loxiharness.harness.graph;

import dev.loxiharness.harness.graph.Diagram.Hop;
import dev.loxiharness.harness.graph.Diagram.Pod;
import dev.loxiharness.harness.graph.Diagram.Vip;
import dev.loxiharness.harness.graph.Diagram.VipPath;
import dev.loxiharness.harness.model.Cidr;
import dev.loxiharness.harness.model.Topology;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The way a packet to a VIP goes (client, router, loxilb, node, pod), hop by hop: from every client
 * node, each node's next hops as {@link Forwarding} says, until a pod or a hop that goes nowhere.
 * The same walk serves the file ({@link PlannedForwarding}) and the running topology
 * ({@link ObservedForwarding}), so the two pictures differ only in what is known.
 */
final class PacketPaths {
    /** Where packets to VIPs go from each node; what the VIPs and pods are. */
    interface Forwarding {
        List<Vip> vips();

        List<Pod> pods();

        /** The next hops of a packet to {@code vip} at {@code node}; a hop with no target says why it goes nowhere. */
        List<Hop> next(String node, Vip vip);
    }

    private PacketPaths() {
    }

    /** Each VIP's hops from the client nodes; none when the topology has no client. */
    static List<VipPath> walk(Topology t, Forwarding f) {
        List<String> clients = t.nodes().entrySet().stream().filter(e -> e.getValue().has("client")).map(e -> e.getKey()).toList();
        if (clients.isEmpty()) {
            return List.of();
        }
        List<VipPath> out = new ArrayList<>();
        for (Vip vip : f.vips()) {
            List<Hop> hops = new ArrayList<>();
            Deque<String> todo = new ArrayDeque<>(clients);
            Set<String> done = new HashSet<>();
            while (!todo.isEmpty()) {
                String at = todo.poll();
                if (!done.add(at) || isPod(at)) {
                    continue;
                }
                for (Hop h : f.next(at, vip)) {
                    hops.add(h);
                    if (!h.broken()) {
                        todo.add(h.to());
                    }
                }
            }
            out.add(new VipPath(vip, hops));
        }
        return out;
    }

    static boolean isPod(String name) {
        return name.startsWith("pod/");
    }

    static String podId(String namespace, String name) {
        return "pod/" + namespace + "/" + name;
    }

    /**
     * The route a node takes to {@code ip}: the longest prefix of {@code routes} that holds it,
     * read by {@code prefix} ({@code default}, {@code 10.0.0.0/8}, or a host address).
     */
    static <R> Optional<R> longestMatch(List<R> routes, Function<R, String> prefix, String ip) {
        Cidr target = Cidr.parse(ip);
        R best = null;
        int bestLength = -1;
        for (R r : routes) {
            Cidr c = cidr(prefix.apply(r));
            if (c != null && c.contains(target) && c.length() > bestLength) {
                best = r;
                bestLength = c.length();
            }
        }
        return Optional.ofNullable(best);
    }

    private static Cidr cidr(String prefix) {
        if (prefix.equals("default")) {
            return new Cidr(0, 0);
        }
        try {
            return Cidr.parse(prefix);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The hop to the node that has {@code address}, or a hop nowhere saying no node has it. */
    static Hop toOwner(Topology t, String from, String address, String how) {
        String owner = t.addressOwners().get(address);
        return owner == null ? new Hop(from, null, how + ": no node has " + address) : new Hop(from, owner, how);
    }
}
