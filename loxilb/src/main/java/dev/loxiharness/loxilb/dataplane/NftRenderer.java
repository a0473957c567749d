package dev.loxiharness.loxilb.dataplane;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.EndpointSpec;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.rules.Selection;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders rules as nftables commands for one table. The lookup is O(1) whatever the number of
 * rules: a verdict map keyed by VIP . protocol . port jumps to a small chain per rule, which marks
 * the packet with the rule's id and DNATs through one shared endpoint map keyed by id . slot.
 * Changes touch map elements and the rule's own chain only, so each is a small transaction.
 *
 * <pre>
 * prerouting: ip daddr . meta l4proto . th dport vmap @svcs           (exact ports)
 *             ip daddr . meta l4proto . th dport vmap @svcranges      (port ranges, interval map)
 * svc_ID:     [ip saddr != {allowed} drop]  meta mark set ID
 *             [persist: dnat to ip saddr map @persist_ID]
 *             dnat to meta mark . (numgen inc | jhash | ...) mod SLOTS map @eps (@eps_udp, @eps_sctp)
 * postrouting: ct status dnat meta mark @snatmarks masquerade           (onearm, fullnat)
 * forward:    ct mark . ip daddr . th dport counted in @epstats        (endpoint counters)
 * learn:      ct state new meta mark vmap @persistlearn -> update @persist_ID
 * </pre>
 */
public final class NftRenderer {
    private final String table;

    public NftRenderer(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** A script that replaces the table (ours only) with one holding exactly {@code services}. */
    public String reset(List<ServicePlan> services) {
        StringBuilder s = new StringBuilder();
        s.append("add table ip ").append(table).append('\n');
        s.append("delete table ip ").append(table).append('\n');
        s.append("table ip ").append(table).append(" {\n")
                .append("  map svcs { type ipv4_addr . inet_proto . inet_service : verdict; }\n")
                .append("  map svcranges { type ipv4_addr . inet_proto . inet_service : verdict; flags interval; }\n")
                .append("  map eps { typeof meta mark . numgen inc mod 2 : ip daddr . tcp dport; }\n")
                .append("  map eps_udp { typeof meta mark . numgen inc mod 2 : ip daddr . udp dport; }\n")
                .append("  map eps_sctp { typeof meta mark . numgen inc mod 2 : ip daddr . sctp dport; }\n")
                .append("  map epaddrs { typeof meta mark . numgen inc mod 2 : ip daddr; }\n")
                .append("  set snatmarks { type mark; }\n")
                .append("  map persistlearn { type mark : verdict; }\n")
                .append("  set epstats { typeof ct mark . ip daddr . tcp dport; flags dynamic; counter; size 65535; }\n")
                .append("  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n")
                .append("    ip daddr . meta l4proto . th dport vmap @svcs\n")
                .append("    ip daddr . meta l4proto . th dport vmap @svcranges\n  }\n")
                .append("  chain output {\n    type nat hook output priority -100; policy accept;\n")
                .append("    ip daddr . meta l4proto . th dport vmap @svcs\n")
                .append("    ip daddr . meta l4proto . th dport vmap @svcranges\n  }\n")
                .append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n")
                .append("    ct status dnat meta mark @snatmarks masquerade\n  }\n")
                .append("  chain learn {\n    type filter hook postrouting priority filter; policy accept;\n")
                .append("    ct state new meta mark vmap @persistlearn\n  }\n")
                .append("  chain forwarding {\n    type filter hook forward priority filter; policy accept;\n")
                .append("    ct mark != 0 ct direction original update @epstats { ct mark . ip daddr . th dport }\n  }\n")
                .append("}\n");
        for (ServicePlan p : services) {
            add(s, p);
        }
        return s.toString();
    }

    public String deleteTable() {
        return "add table ip " + table + "\ndelete table ip " + table + "\n";
    }

    /** The commands for a sequence of changes, to run as one transaction. */
    public String apply(List<Change> changes) {
        StringBuilder s = new StringBuilder();
        for (Change c : changes) {
            if (c.before() == null) {
                add(s, c.after());
            } else if (c.after() == null) {
                remove(s, c.before());
            } else if (!c.dataplaneNoop()) {
                update(s, c.before(), c.after());
            }
        }
        return s.toString();
    }

    private void add(StringBuilder s, ServicePlan p) {
        long id = p.id();
        s.append("add chain ip ").append(table).append(" svc_").append(id).append('\n');
        if (persist(p)) {
            addPersist(s, p);
        }
        serviceRules(s, p);
        s.append("add element ip ").append(table).append(' ').append(p.key().isRange() ? "svcranges" : "svcs")
                .append(" { ").append(serviceKey(p.key())).append(" : jump svc_").append(id).append(" }\n");
        slotElements(s, "add", p);
        if (p.rule().mode().masquerades()) {
            s.append("add element ip ").append(table).append(" snatmarks { ").append(id).append(" }\n");
        }
    }

    private void remove(StringBuilder s, ServicePlan p) {
        long id = p.id();
        s.append("delete element ip ").append(table).append(' ').append(p.key().isRange() ? "svcranges" : "svcs")
                .append(" { ").append(serviceKey(p.key())).append(" }\n");
        s.append("flush chain ip ").append(table).append(" svc_").append(id).append('\n');
        s.append("delete chain ip ").append(table).append(" svc_").append(id).append('\n');
        slotElements(s, "delete", p);
        if (p.rule().mode().masquerades()) {
            s.append("delete element ip ").append(table).append(" snatmarks { ").append(id).append(" }\n");
        }
        if (persist(p)) {
            removePersist(s, p);
        }
    }

    private void update(StringBuilder s, ServicePlan before, ServicePlan after) {
        long id = after.id();
        s.append("flush chain ip ").append(table).append(" svc_").append(id).append('\n');
        if (persist(before)) {
            removePersist(s, before);
        }
        if (persist(after)) {
            addPersist(s, after);
        }
        serviceRules(s, after);
        slotElements(s, "delete", before);
        slotElements(s, "add", after);
        boolean was = before.rule().mode().masquerades();
        boolean is = after.rule().mode().masquerades();
        if (was != is) {
            s.append(is ? "add" : "delete").append(" element ip ").append(table)
                    .append(" snatmarks { ").append(id).append(" }\n");
        }
    }

    private void serviceRules(StringBuilder s, ServicePlan p) {
        LbRule r = p.rule();
        String chain = "add rule ip " + table + " svc_" + p.id() + " ";
        if (!r.allowedSources().isEmpty()) {
            s.append(chain).append("ip saddr != { ")
                    .append(String.join(", ", r.allowedSources().stream().map(NftRenderer::network).toList()))
                    .append(" } drop\n");
        }
        s.append(chain).append("meta mark set ").append(p.id()).append('\n');
        // the connection keeps the rule's id, so every packet of it counts for its endpoint (epstats)
        s.append(chain).append("ct mark set meta mark").append('\n');
        int slots = slots(p).size();
        if (slots == 0) {
            s.append(chain).append("drop\n");
            return;
        }
        String l4 = "meta l4proto " + r.key().protocol().wire() + " ";
        if (persist(p)) {
            s.append(chain).append(l4).append("dnat ip to ip saddr map @persist_").append(p.id()).append('\n');
        }
        String selector = switch (r.selection()) {
            case HASH -> "jhash ip saddr . th sport mod " + slots + " seed 0x0";
            default -> "numgen inc mod " + slots;
        };
        s.append(chain).append(l4).append("dnat ip to meta mark . ").append(selector)
                .append(" map @").append(endpointMap(p.key())).append('\n');
    }

    private void addPersist(StringBuilder s, ServicePlan p) {
        long id = p.id();
        String value = p.key().isRange() ? "ip daddr" : "ip daddr . " + p.key().protocol().wire() + " dport";
        s.append("add map ip ").append(table).append(" persist_").append(id).append(" { typeof ip saddr : ")
                .append(value).append("; flags dynamic,timeout; timeout ").append(p.rule().inactiveTimeoutSeconds())
                .append("s; }\n");
        s.append("add chain ip ").append(table).append(" learn_").append(id).append('\n');
        s.append("add rule ip ").append(table).append(" learn_").append(id).append(" update @persist_").append(id)
                .append(" { ip saddr : ").append(p.key().isRange() ? "ip daddr" : "ip daddr . th dport").append(" }\n");
        s.append("add element ip ").append(table).append(" persistlearn { ").append(id)
                .append(" : jump learn_").append(id).append(" }\n");
    }

    private void removePersist(StringBuilder s, ServicePlan p) {
        long id = p.id();
        s.append("delete element ip ").append(table).append(" persistlearn { ").append(id).append(" }\n");
        s.append("flush chain ip ").append(table).append(" learn_").append(id).append('\n');
        s.append("delete chain ip ").append(table).append(" learn_").append(id).append('\n');
        s.append("delete map ip ").append(table).append(" persist_").append(id).append('\n');
    }

    private void slotElements(StringBuilder s, String verb, ServicePlan p) {
        List<EndpointSpec> slots = slots(p);
        if (slots.isEmpty()) {
            return;
        }
        boolean range = p.key().isRange();
        s.append(verb).append(" element ip ").append(table).append(' ').append(endpointMap(p.key())).append(" { ");
        for (int i = 0; i < slots.size(); i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(p.id()).append(" . ").append(i);
            if (verb.equals("add")) {
                EndpointSpec e = slots.get(i);
                s.append(" : ").append(e.ip());
                if (!range) {
                    s.append(" . ").append(e.port());
                }
            }
        }
        s.append(" }\n");
    }

    /**
     * The endpoint map of a rule: addresses only for a port range, else address and port in a map
     * of the rule's protocol. One map per protocol, because nft ties a map's {@code tcp dport} to tcp:
     * a udp rule's DNAT through it is refused ("conflicting protocols specified: udp vs. tcp"), and
     * {@code th dport} is refused once the map is read back from the kernel.
     */
    static String endpointMap(RuleKey k) {
        if (k.isRange()) {
            return "epaddrs";
        }
        return switch (k.protocol()) {
            case TCP -> "eps";
            case UDP -> "eps_udp";
            case SCTP -> "eps_sctp";
        };
    }

    private static boolean persist(ServicePlan p) {
        return p.rule().selection() == Selection.PERSIST;
    }

    /**
     * The endpoint of each slot of the shared map. Priority repeats an endpoint in proportion to
     * its weight (reduced by the weights' gcd); other selections give each live endpoint one slot.
     */
    public static List<EndpointSpec> slots(ServicePlan p) {
        List<EndpointSpec> live = p.activeEndpoints();
        if (p.rule().selection() != Selection.PRIORITY) {
            return live;
        }
        int gcd = 0;
        for (EndpointSpec e : live) {
            gcd = gcd(gcd, e.weight());
        }
        List<EndpointSpec> out = new ArrayList<>();
        for (EndpointSpec e : live) {
            int n = gcd == 0 ? 1 : e.weight() / gcd;
            for (int i = 0; i < n; i++) {
                out.add(e);
            }
        }
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static String serviceKey(RuleKey k) {
        String ports = k.isRange() ? k.port() + "-" + k.portMax() : String.valueOf(k.port());
        return k.vip() + " . " + k.protocol().wire() + " . " + ports;
    }

    /** nft refuses a prefix with host bits set: give it the network address. */
    static String network(String prefix) {
        int slash = prefix.indexOf('/');
        if (slash < 0) {
            return prefix;
        }
        int len = Integer.parseInt(prefix.substring(slash + 1));
        String[] o = prefix.substring(0, slash).split("\\.");
        long addr = 0;
        for (String x : o) {
            addr = (addr << 8) | Integer.parseInt(x);
        }
        long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
        long net = addr & mask;
        return ((net >> 24) & 255) + "." + ((net >> 16) & 255) + "." + ((net >> 8) & 255) + "." + (net & 255) + "/" + len;
    }
}
