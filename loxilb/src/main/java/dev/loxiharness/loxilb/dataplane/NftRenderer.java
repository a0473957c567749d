package dev.loxiharness.loxilb.dataplane;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.EndpointSpec;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.rules.Selection;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders rules as nftables commands for one table. A rule is map elements only: its key gives the
 * rule's id (the packet mark) in one map, the id gives a verdict in another, and the verdict jumps
 * to a chain shared by every rule picking the same way among the same number of endpoint slots,
 * which DNATs through one endpoint map keyed by id . slot. The lookup costs the same whatever the
 * number of rules, and adding a rule adds elements, not chains or rules, so a transaction stays
 * small at 10,000 rules. A rule gets a chain of its own only for what elements cannot say:
 * {@code allowedSources} and persistence.
 *
 * <pre>
 * prerouting: meta mark set ip daddr . meta l4proto . th dport map @svcs        (exact ports)
 *               ct mark set meta mark  meta mark vmap @rules
 *             (the same through @svcranges, an interval map, for port ranges)
 * rules:      ID : jump pick_tcp_rr_2 | jump svc_ID | drop                      (no live endpoint)
 * pick_tcp_rr_2:   meta l4proto tcp dnat ip to meta mark . numgen inc mod 2 map @eps
 * pick_tcp_hash_3: ... jhash ip saddr . th sport mod 3 ...   (@eps_udp, @eps_sctp; @epaddrs for ranges)
 * svc_ID:     [ip saddr != {allowed} drop]  [persist: dnat to ip saddr map @persist_ID]  goto pick_...
 * postrouting: ct status dnat meta mark @snatmarks masquerade                   (onearm, fullnat)
 * forward:    ct mark . ip daddr . th dport counted in @epstats                 (endpoint counters)
 * learn:      ct state new meta mark vmap @persistlearn -> update @persist_ID
 * </pre>
 *
 * A shared chain's {@code numgen inc} counter is shared too: round robin takes turns over the
 * connections of every rule of that chain, so each rule's connections still spread evenly over its
 * endpoints when traffic is spread over rules, but strictly alternating traffic to two such rules
 * could keep each on one endpoint.
 *
 * <p>The renderer remembers the shared chains the table holds ({@link #committed}), so a script
 * creates a chain only the first time a rule needs it; shared chains stay until the table is reset.
 */
public final class NftRenderer {
    /** Elements per {@code add element} statement: nft refuses very long ones for concatenated interval maps. */
    static final int ELEMENTS_PER_STATEMENT = 500;

    private final String table;
    private final Set<String> pickChains = new HashSet<>();

    public NftRenderer(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** A script that replaces the table (ours only) with one holding exactly {@code services}. */
    public synchronized NftScript reset(List<ServicePlan> services) {
        Script s = new Script(Set.of());
        s.line("add table ip " + table);
        s.line("delete table ip " + table);
        String lookup = "ct mark set meta mark meta mark vmap @rules\n";
        s.line("table ip " + table + " {\n"
                + "  map svcs { type ipv4_addr . inet_proto . inet_service : mark; }\n"
                + "  map svcranges { type ipv4_addr . inet_proto . inet_service : mark; flags interval; }\n"
                + "  map rules { type mark : verdict; }\n"
                + "  map eps { typeof meta mark . numgen inc mod 2 : ip daddr . tcp dport; }\n"
                + "  map eps_udp { typeof meta mark . numgen inc mod 2 : ip daddr . udp dport; }\n"
                + "  map eps_sctp { typeof meta mark . numgen inc mod 2 : ip daddr . sctp dport; }\n"
                + "  map epaddrs { typeof meta mark . numgen inc mod 2 : ip daddr; }\n"
                + "  set snatmarks { type mark; }\n"
                + "  map persistlearn { type mark : verdict; }\n"
                + "  set epstats { typeof ct mark . ip daddr . tcp dport; flags dynamic; counter; size 65535; }\n"
                + "  chain prerouting {\n    type nat hook prerouting priority dstnat; policy accept;\n"
                + "    meta mark set ip daddr . meta l4proto . th dport map @svcs " + lookup
                + "    meta mark set ip daddr . meta l4proto . th dport map @svcranges " + lookup + "  }\n"
                + "  chain output {\n    type nat hook output priority -100; policy accept;\n"
                + "    meta mark set ip daddr . meta l4proto . th dport map @svcs " + lookup
                + "    meta mark set ip daddr . meta l4proto . th dport map @svcranges " + lookup + "  }\n"
                + "  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ct status dnat meta mark @snatmarks masquerade\n  }\n"
                + "  chain learn {\n    type filter hook postrouting priority filter; policy accept;\n"
                + "    ct state new meta mark vmap @persistlearn\n  }\n"
                + "  chain forwarding {\n    type filter hook forward priority filter; policy accept;\n"
                + "    ct mark != 0 ct direction original update @epstats { ct mark . ip daddr . th dport }\n  }\n"
                + "}");
        // chains first, then each map's elements together: a few long statements parse fastest
        for (ServicePlan p : services) {
            addChains(s, p);
        }
        for (ServicePlan p : services) {
            slotElements(s, "add", p);
        }
        for (ServicePlan p : services) {
            if (p.rule().mode().masquerades()) {
                s.element("add", "snatmarks", String.valueOf(p.id()));
            }
        }
        for (ServicePlan p : services) {
            if (persist(p)) {
                s.element("add", "persistlearn", p.id() + " : jump learn_" + p.id());
            }
        }
        for (ServicePlan p : services) {
            s.element("add", "rules", p.id() + " : " + verdict(p));
        }
        for (ServicePlan p : services) {
            serviceElement(s, "add", p);
        }
        return s.done(true);
    }

    public String deleteTable() {
        return "add table ip " + table + "\ndelete table ip " + table + "\n";
    }

    /** The commands for a sequence of changes, to run as one transaction. */
    public synchronized NftScript apply(List<Change> changes) {
        Script s = new Script(pickChains);
        for (Change c : changes) {
            if (c.before() == null) {
                add(s, c.after());
            } else if (c.after() == null) {
                remove(s, c.before());
            } else if (c.before().id() != c.after().id()) {
                remove(s, c.before());
                add(s, c.after());
            } else if (!c.dataplaneNoop()) {
                update(s, c.before(), c.after());
            }
        }
        return s.done(false);
    }

    /** {@code script} went through: remember the shared chains it made (all of them, for a reset). */
    public synchronized void committed(NftScript script) {
        if (script.replacesTable()) {
            pickChains.clear();
        }
        pickChains.addAll(script.newPickChains());
    }

    private void add(Script s, ServicePlan p) {
        addChains(s, p);
        slotElements(s, "add", p);
        if (p.rule().mode().masquerades()) {
            s.element("add", "snatmarks", String.valueOf(p.id()));
        }
        if (persist(p)) {
            s.element("add", "persistlearn", p.id() + " : jump learn_" + p.id());
        }
        s.element("add", "rules", p.id() + " : " + verdict(p));
        serviceElement(s, "add", p);
    }

    /** The chains a rule needs: its persistence map and learning chain, its shared pick chain, its own chain. */
    private void addChains(Script s, ServicePlan p) {
        if (persist(p)) {
            addPersistMap(s, p);
        }
        ensurePickChain(s, p);
        if (ownChain(p)) {
            s.line("add chain ip " + table + " svc_" + p.id());
            ownRules(s, p);
        }
    }

    private void remove(Script s, ServicePlan p) {
        long id = p.id();
        serviceElement(s, "delete", p);
        s.element("delete", "rules", String.valueOf(id));
        if (ownChain(p)) {
            s.line("flush chain ip " + table + " svc_" + id);
            s.line("delete chain ip " + table + " svc_" + id);
        }
        slotElements(s, "delete", p);
        if (p.rule().mode().masquerades()) {
            s.element("delete", "snatmarks", String.valueOf(id));
        }
        if (persist(p)) {
            removePersist(s, p);
        }
    }

    private void update(Script s, ServicePlan before, ServicePlan after) {
        long id = after.id();
        String chain = "svc_" + id;
        boolean had = ownChain(before);
        boolean has = ownChain(after);
        if (had) {
            // first, so nothing refers to the persistence map any more
            s.line("flush chain ip " + table + " " + chain);
        }
        if (persist(before)) {
            removePersist(s, before);
        }
        if (persist(after)) {
            addPersistMap(s, after);
            s.element("add", "persistlearn", id + " : jump learn_" + id);
        }
        ensurePickChain(s, after);
        if (has) {
            if (!had) {
                s.line("add chain ip " + table + " " + chain);
            }
            ownRules(s, after);
        }
        slotElements(s, "delete", before);
        slotElements(s, "add", after);
        if (!verdict(before).equals(verdict(after))) {
            s.element("delete", "rules", String.valueOf(id));
            s.element("add", "rules", id + " : " + verdict(after));
        }
        if (had && !has) {
            s.line("delete chain ip " + table + " " + chain);
        }
        boolean was = before.rule().mode().masquerades();
        boolean is = after.rule().mode().masquerades();
        if (was != is) {
            s.element(is ? "add" : "delete", "snatmarks", String.valueOf(id));
        }
    }

    /** Where the rule's id leads: its own chain, the shared pick chain, or drop when no endpoint is live. */
    private static String verdict(ServicePlan p) {
        if (ownChain(p)) {
            return "jump svc_" + p.id();
        }
        String pick = pickChain(p);
        return pick == null ? "drop" : "jump " + pick;
    }

    /** A rule needs a chain of its own for a source filter or for persistence. */
    private static boolean ownChain(ServicePlan p) {
        return !p.rule().allowedSources().isEmpty() || persist(p);
    }

    private void ownRules(Script s, ServicePlan p) {
        LbRule r = p.rule();
        String chain = "add rule ip " + table + " svc_" + p.id() + " ";
        if (!r.allowedSources().isEmpty()) {
            s.line(chain + "ip saddr != { "
                    + String.join(", ", r.allowedSources().stream().map(NftRenderer::network).toList()) + " } drop");
        }
        String pick = pickChain(p);
        if (pick == null) {
            s.line(chain + "drop");
            return;
        }
        if (persist(p)) {
            s.line(chain + "meta l4proto " + r.key().protocol().wire() + " dnat ip to ip saddr map @persist_" + p.id());
        }
        s.line(chain + "goto " + pick);
    }

    /**
     * The shared chain that picks one of the rule's slots: one per endpoint map (protocol, or
     * address only for a port range), selection (hash, or round robin) and number of slots. Null
     * when the rule has no live endpoint.
     */
    static String pickChain(ServicePlan p) {
        int slots = slots(p).size();
        if (slots == 0) {
            return null;
        }
        RuleKey k = p.key();
        return "pick_" + k.protocol().wire() + (k.isRange() ? "_range" : "") + "_"
                + (p.rule().selection() == Selection.HASH ? "hash" : "rr") + "_" + slots;
    }

    private void ensurePickChain(Script s, ServicePlan p) {
        String name = pickChain(p);
        if (name == null || !s.newPickChain(name)) {
            return;
        }
        int slots = slots(p).size();
        String selector = p.rule().selection() == Selection.HASH
                ? "jhash ip saddr . th sport mod " + slots + " seed 0x0"
                : "numgen inc mod " + slots;
        s.line("add chain ip " + table + " " + name);
        s.line("add rule ip " + table + " " + name + " meta l4proto " + p.key().protocol().wire()
                + " dnat ip to meta mark . " + selector + " map @" + endpointMap(p.key()));
    }

    private void addPersistMap(Script s, ServicePlan p) {
        long id = p.id();
        String value = p.key().isRange() ? "ip daddr" : "ip daddr . " + p.key().protocol().wire() + " dport";
        s.line("add map ip " + table + " persist_" + id + " { typeof ip saddr : " + value
                + "; flags dynamic,timeout; timeout " + p.rule().inactiveTimeoutSeconds() + "s; }");
        s.line("add chain ip " + table + " learn_" + id);
        s.line("add rule ip " + table + " learn_" + id + " update @persist_" + id + " { ip saddr : "
                + (p.key().isRange() ? "ip daddr" : "ip daddr . th dport") + " }");
    }

    private void removePersist(Script s, ServicePlan p) {
        long id = p.id();
        s.element("delete", "persistlearn", String.valueOf(id));
        s.line("flush chain ip " + table + " learn_" + id);
        s.line("delete chain ip " + table + " learn_" + id);
        s.line("delete map ip " + table + " persist_" + id);
    }

    private void serviceElement(Script s, String verb, ServicePlan p) {
        RuleKey k = p.key();
        String ports = k.isRange() ? k.port() + "-" + k.portMax() : String.valueOf(k.port());
        String key = k.vip() + " . " + k.protocol().wire() + " . " + ports;
        s.element(verb, k.isRange() ? "svcranges" : "svcs", verb.equals("add") ? key + " : " + p.id() : key);
    }

    private void slotElements(Script s, String verb, ServicePlan p) {
        List<EndpointSpec> slots = slots(p);
        String map = endpointMap(p.key());
        for (int i = 0; i < slots.size(); i++) {
            String key = p.id() + " . " + i;
            if (verb.equals("add")) {
                EndpointSpec e = slots.get(i);
                s.element(verb, map, key + " : " + e.ip() + (p.key().isRange() ? "" : " . " + e.port()));
            } else {
                s.element(verb, map, key);
            }
        }
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

    /**
     * One script being written: commands, with consecutive elements of the same map and verb joined
     * into one statement, and the shared chains it creates.
     */
    private final class Script {
        private final StringBuilder text = new StringBuilder();
        private final Set<String> existing;
        private final Set<String> created = new LinkedHashSet<>();
        private String openVerb;
        private String openMap;
        private int open;

        Script(Set<String> existing) {
            this.existing = existing;
        }

        void line(String command) {
            closeElements();
            text.append(command).append('\n');
        }

        void element(String verb, String map, String item) {
            if (!verb.equals(openVerb) || !map.equals(openMap) || open >= ELEMENTS_PER_STATEMENT) {
                closeElements();
                text.append(verb).append(" element ip ").append(table).append(' ').append(map).append(" { ");
                openVerb = verb;
                openMap = map;
            } else {
                text.append(", ");
            }
            text.append(item);
            open++;
        }

        /** True when the chain is neither in the table nor made earlier in this script (the caller makes it). */
        boolean newPickChain(String name) {
            return !existing.contains(name) && created.add(name);
        }

        private void closeElements() {
            if (openVerb != null) {
                text.append(" }\n");
                openVerb = null;
                openMap = null;
                open = 0;
            }
        }

        NftScript done(boolean replacesTable) {
            closeElements();
            return new NftScript(text.toString(), created, replacesTable);
        }
    }
}
