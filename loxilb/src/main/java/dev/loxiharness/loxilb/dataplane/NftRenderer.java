package dev.loxiharness.loxilb.dataplane;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.EndpointSpec;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.rules.RuleTable;
import dev.loxiharness.loxilb.rules.Selection;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders rules as nftables commands for one table. A rule is map elements only: its key gives its
 * packet mark in one map, and the mark's top byte, the rule's <em>shape</em>, picks a chain shared
 * by every rule picking the same way among the same number of endpoint slots, which DNATs through
 * one endpoint map keyed by mark . slot. The lookup costs the same whatever the number of rules,
 * and adding a rule adds elements, not chains or rules, so a transaction stays small at 10,000
 * rules. The verdict maps stay small too (one element per shape): the kernel checks every jump
 * reachable from a verdict map each time one changes, so a verdict element per rule would make
 * every commit walk all rules. A rule gets a chain of its own only for what elements cannot say:
 * {@code allowedSources} and persistence (and those rules, found through {@code @owners} and
 * learning through {@code @persistlearn}, do cost a verdict element each).
 *
 * <pre>
 * prerouting: meta mark set ip daddr . meta l4proto . th dport map @svcs       (exact ports)
 *               ct mark set meta mark  meta mark &amp; 0xff000000 vmap @picks
 *             (the same through @svcranges, an interval map, for port ranges)
 * picks:      OWN : jump own   DROP : drop (no live endpoint)   SHAPE : jump pick_tcp_rr_2 ...
 * pick_tcp_rr_2:   meta l4proto tcp dnat ip to meta mark . numgen inc mod 2 map @eps
 * pick_tcp_hash_3: ... jhash ip saddr . th sport mod 3 ...   (@eps_udp, @eps_sctp; @epaddrs for ranges)
 * own:        meta mark vmap @owners -> svc_ID: [ip saddr != {allowed} drop]
 *                                               [persist: dnat to ip saddr map @persist_ID]  goto pick_...
 * postrouting: ct status dnat meta mark @snatmarks masquerade                  (onearm, fullnat)
 * forward:    ct mark . ip daddr . th dport counted in @epstats                (endpoint counters)
 * learn:      ct state new meta mark vmap @persistlearn -> update @persist_ID
 * </pre>
 *
 * A mark is {@code shape << 24 | rule id}; a rule whose shape changes gets a new mark, and its
 * elements are replaced. A shared chain's {@code numgen inc} counter is shared too: round robin
 * takes turns over the connections of every rule of that chain, so each rule's connections still
 * spread evenly over its endpoints when traffic is spread over rules, but strictly alternating
 * traffic to two such rules could keep each on one endpoint.
 *
 * <p>The renderer remembers the shapes (and their chains) the table holds ({@link #committed}), so
 * a script makes a shape only the first time a rule needs it, and how many rules go through each
 * pick chain. A shape stays while nothing needs its number: only when all {@value #MAX_SHAPE} are
 * taken does a new pick chain take over the number of one that no rule goes through any more.
 */
public final class NftRenderer {
    /** Elements per {@code add element} statement: nft refuses very long ones for concatenated interval maps. */
    static final int ELEMENTS_PER_STATEMENT = 500;
    static final int SHAPE_SHIFT = 24;
    /** The rule id's bits of a mark: every id the rule table hands out fits below the shape. */
    static final long ID_MASK = RuleTable.MAX_ID;
    /** The shape of rules with a chain of their own, found through {@code @owners}. */
    static final int OWN = 1;
    /** The shape of rules without a live endpoint. */
    static final int DROP = 2;
    static final int FIRST_PICK = 3;
    static final int MAX_SHAPE = 255;

    private final String table;
    private final Map<String, Integer> shapes = new HashMap<>();
    /** Pick chain -> the rules that go through it (those with a chain of their own too). */
    private final Map<String, Integer> users = new HashMap<>();

    public NftRenderer(String table) {
        this.table = table;
    }

    public String table() {
        return table;
    }

    /** The rule id a packet or connection mark carries. */
    public static long ruleId(long mark) {
        return mark & ID_MASK;
    }

    /** A script that replaces the table (ours only) with one holding exactly {@code services}. */
    public synchronized NftScript reset(List<ServicePlan> services) {
        Script s = new Script(Map.of(), Map.of());
        s.line("add table ip " + table);
        s.line("delete table ip " + table);
        String lookup = "ct mark set meta mark meta mark & 0x" + Long.toHexString(~ID_MASK & 0xffffffffL)
                + " vmap @picks\n";
        s.line("table ip " + table + " {\n"
                + "  map svcs { type ipv4_addr . inet_proto . inet_service : mark; }\n"
                + "  map svcranges { type ipv4_addr . inet_proto . inet_service : mark; flags interval; }\n"
                + "  map picks { type mark : verdict; }\n"
                + "  map owners { type mark : verdict; }\n"
                + "  map eps { typeof meta mark . numgen inc mod 2 : ip daddr . tcp dport; }\n"
                + "  map eps_udp { typeof meta mark . numgen inc mod 2 : ip daddr . udp dport; }\n"
                + "  map eps_sctp { typeof meta mark . numgen inc mod 2 : ip daddr . sctp dport; }\n"
                + "  map epaddrs { typeof meta mark . numgen inc mod 2 : ip daddr; }\n"
                + "  set snatmarks { type mark; }\n"
                + "  map persistlearn { type mark : verdict; }\n"
                + "  set epstats { typeof ct mark . ip daddr . tcp dport; flags dynamic; counter; size 65535; }\n"
                + "  chain own {\n    meta mark vmap @owners\n  }\n"
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
        s.element("add", "picks", shapeKey(OWN) + " : jump own");
        s.element("add", "picks", shapeKey(DROP) + " : drop");
        // chains first, then each map's elements together: a few long statements parse fastest
        List<Long> marks = new ArrayList<>();
        for (ServicePlan p : services) {
            marks.add(addChains(s, p));
            s.use(pickChain(p), 1);
        }
        for (int i = 0; i < services.size(); i++) {
            slotElements(s, "add", services.get(i), marks.get(i));
        }
        for (int i = 0; i < services.size(); i++) {
            if (services.get(i).rule().mode().masquerades()) {
                s.element("add", "snatmarks", String.valueOf(marks.get(i)));
            }
        }
        for (int i = 0; i < services.size(); i++) {
            if (persist(services.get(i))) {
                s.element("add", "persistlearn", marks.get(i) + " : jump learn_" + services.get(i).id());
            }
        }
        for (int i = 0; i < services.size(); i++) {
            if (ownChain(services.get(i))) {
                s.element("add", "owners", marks.get(i) + " : jump svc_" + services.get(i).id());
            }
        }
        for (int i = 0; i < services.size(); i++) {
            serviceElement(s, "add", services.get(i), marks.get(i));
        }
        return s.done(true);
    }

    public String deleteTable() {
        return "add table ip " + table + "\ndelete table ip " + table + "\n";
    }

    /** The commands for a sequence of changes, to run as one transaction. */
    public synchronized NftScript apply(List<Change> changes) {
        Script s = new Script(shapes, users);
        for (Change c : changes) {
            if (c.before() == null) {
                add(s, c.after());
            } else if (c.after() == null) {
                remove(s, c.before());
            } else if (!c.dataplaneNoop()) {
                update(s, c.before(), c.after());
            }
        }
        return s.done(false);
    }

    /** {@code script} went through: remember the shapes it made and retired, and the pick chains' users. */
    public synchronized void committed(NftScript script) {
        if (script.replacesTable()) {
            shapes.clear();
            users.clear();
        }
        shapes.keySet().removeAll(script.retiredShapes());
        shapes.putAll(script.newShapes());
        script.userDeltas().forEach((chain, d) -> users.merge(chain, d, Integer::sum));
        users.values().removeIf(n -> n <= 0);
    }

    private void add(Script s, ServicePlan p) {
        long mark = addChains(s, p);
        s.use(pickChain(p), 1);
        slotElements(s, "add", p, mark);
        if (p.rule().mode().masquerades()) {
            s.element("add", "snatmarks", String.valueOf(mark));
        }
        if (persist(p)) {
            s.element("add", "persistlearn", mark + " : jump learn_" + p.id());
        }
        if (ownChain(p)) {
            s.element("add", "owners", mark + " : jump svc_" + p.id());
        }
        serviceElement(s, "add", p, mark);
    }

    /** The chains a rule needs (its shape's, its persistence map and learning chain, its own); its mark. */
    private long addChains(Script s, ServicePlan p) {
        long mark = mark(s, p);
        if (persist(p)) {
            addPersistMap(s, p);
        }
        if (ownChain(p)) {
            s.line("add chain ip " + table + " svc_" + p.id());
            ownRules(s, p);
        }
        return mark;
    }

    private void remove(Script s, ServicePlan p) {
        long mark = mark(s, p);
        s.use(pickChain(p), -1);
        serviceElement(s, "delete", p, mark);
        if (ownChain(p)) {
            s.element("delete", "owners", String.valueOf(mark));
            s.line("flush chain ip " + table + " svc_" + p.id());
            s.line("delete chain ip " + table + " svc_" + p.id());
        }
        slotElements(s, "delete", p, mark);
        if (p.rule().mode().masquerades()) {
            s.element("delete", "snatmarks", String.valueOf(mark));
        }
        if (persist(p)) {
            s.element("delete", "persistlearn", String.valueOf(mark));
            removePersist(s, p);
        }
    }

    /**
     * A rule keeping its shape (and so its mark, ids being stable) is changed in place; one whose
     * shape changes is removed and added again under its new mark (rules of the same shape share a
     * pick chain; a rule with a chain of its own keeps the shape {@link #OWN}).
     */
    private void update(Script s, ServicePlan before, ServicePlan after) {
        long mark = mark(s, before);
        if (before.id() != after.id() || mark != mark(s, after)) {
            remove(s, before);
            add(s, after);
            return;
        }
        s.use(pickChain(before), -1);
        s.use(pickChain(after), 1);
        long id = after.id();
        boolean own = ownChain(after);
        if (own) {
            // first, so nothing refers to the persistence map any more
            s.line("flush chain ip " + table + " svc_" + id);
        }
        if (persist(before)) {
            s.element("delete", "persistlearn", String.valueOf(mark));
            removePersist(s, before);
        }
        if (persist(after)) {
            addPersistMap(s, after);
            s.element("add", "persistlearn", mark + " : jump learn_" + id);
        }
        if (own) {
            ownRules(s, after);
        }
        slotElements(s, "delete", before, mark);
        slotElements(s, "add", after, mark);
        boolean was = before.rule().mode().masquerades();
        boolean is = after.rule().mode().masquerades();
        if (was != is) {
            s.element(is ? "add" : "delete", "snatmarks", String.valueOf(mark));
        }
    }

    /** A rule needs a chain of its own for a source filter or for persistence. */
    private static boolean ownChain(ServicePlan p) {
        return !p.rule().allowedSources().isEmpty() || persist(p);
    }

    /** The rule's mark: its shape (made here when new) over its id. */
    private long mark(Script s, ServicePlan p) {
        if (p.id() < 1 || p.id() > ID_MASK) {
            throw new NftException("rule id " + p.id() + " does not fit the packet mark (1.." + ID_MASK + ")", null);
        }
        // a rule with a chain of its own still goes to the shared pick chain from there
        int pick = ensurePickChain(s, p);
        int shape = ownChain(p) ? OWN : pick == 0 ? DROP : pick;
        return ((long) shape << SHAPE_SHIFT) | p.id();
    }

    private static String shapeKey(int shape) {
        return String.valueOf((long) shape << SHAPE_SHIFT);
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

    /** The shape of the rule's pick chain, making both when new; 0 when it has no live endpoint. */
    private int ensurePickChain(Script s, ServicePlan p) {
        String name = pickChain(p);
        if (name == null) {
            return 0;
        }
        Integer known = s.shape(name);
        if (known != null) {
            return known;
        }
        int shape = s.newShape(name);
        int slots = slots(p).size();
        String selector = p.rule().selection() == Selection.HASH
                ? "jhash ip saddr . th sport mod " + slots + " seed 0x0"
                : "numgen inc mod " + slots;
        s.line("add chain ip " + table + " " + name);
        s.line("add rule ip " + table + " " + name + " meta l4proto " + p.key().protocol().wire()
                + " dnat ip to meta mark . " + selector + " map @" + endpointMap(p.key()));
        s.element("add", "picks", shapeKey(shape) + " : jump " + name);
        return shape;
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
        s.line("flush chain ip " + table + " learn_" + id);
        s.line("delete chain ip " + table + " learn_" + id);
        s.line("delete map ip " + table + " persist_" + id);
    }

    private void serviceElement(Script s, String verb, ServicePlan p, long mark) {
        RuleKey k = p.key();
        String ports = k.isRange() ? k.port() + "-" + k.portMax() : String.valueOf(k.port());
        String key = k.vip() + " . " + k.protocol().wire() + " . " + ports;
        s.element(verb, k.isRange() ? "svcranges" : "svcs", verb.equals("add") ? key + " : " + mark : key);
    }

    private void slotElements(Script s, String verb, ServicePlan p, long mark) {
        List<EndpointSpec> slots = slots(p);
        String map = endpointMap(p.key());
        for (int i = 0; i < slots.size(); i++) {
            String key = mark + " . " + i;
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
     * into one statement, and the shapes it makes.
     */
    private final class Script {
        private final StringBuilder text = new StringBuilder();
        private final Map<String, Integer> existing;
        private final Map<String, Integer> users;
        private final Map<String, Integer> created = new LinkedHashMap<>();
        private final Set<String> retired = new HashSet<>();
        private final Map<String, Integer> userDeltas = new HashMap<>();
        private String openVerb;
        private String openMap;
        private int open;

        Script(Map<String, Integer> existing, Map<String, Integer> users) {
            this.existing = existing;
            this.users = users;
        }

        /** One rule more ({@code 1}) or fewer ({@code -1}) goes through {@code pickChain} (none: null). */
        void use(String pickChain, int delta) {
            if (pickChain != null) {
                userDeltas.merge(pickChain, delta, Integer::sum);
            }
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

        /** The shape of a pick chain in the table or made earlier in this script; null when new. */
        Integer shape(String pickChain) {
            Integer known = retired.contains(pickChain) ? null : existing.get(pickChain);
            return known != null ? known : created.get(pickChain);
        }

        /** A shape for a new pick chain (the caller makes the chain). */
        int newShape(String pickChain) {
            int shape = FIRST_PICK + existing.size() - retired.size() + created.size();
            if (shape > MAX_SHAPE) {
                shape = reuseUnused().orElseThrow(() -> new NftException("more than " + (MAX_SHAPE - FIRST_PICK + 1)
                        + " kinds of endpoint selection (protocol, hash or round robin, slots) in use in one table", null));
            }
            created.put(pickChain, shape);
            return shape;
        }

        /**
         * The number of a pick chain in the table that no rule goes through any more, now that this
         * script's changes so far are counted; that chain and its entry in {@code @picks} go.
         * Connections it picked for keep their endpoint (conntrack), and their counters go by the
         * rule id alone.
         */
        private Optional<Integer> reuseUnused() {
            for (Map.Entry<String, Integer> e : existing.entrySet()) {
                String chain = e.getKey();
                if (!retired.contains(chain) && users.getOrDefault(chain, 0) + userDeltas.getOrDefault(chain, 0) <= 0) {
                    retired.add(chain);
                    element("delete", "picks", shapeKey(e.getValue()));
                    line("flush chain ip " + table + " " + chain);
                    line("delete chain ip " + table + " " + chain);
                    return Optional.of(e.getValue());
                }
            }
            return Optional.empty();
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
            return new NftScript(text.toString(), created, retired, userDeltas, replacesTable);
        }
    }
}
