package dev.loxiharness.loxilb.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load-balancer rules, keyed as upstream keys them. Pure state, no I/O: every mutation returns
 * the {@link Change}s the data plane must apply. Thread-safe; callers serialise through it, so two
 * concurrent posts of the same rule see each other (the second is a duplicate).
 */
public final class RuleTable {
    public static final int MAX_ENDPOINTS = 32;
    /** Rule ids are 1 .. this: they travel in the data plane's packet marks, beside the rule's shape. */
    public static final long MAX_ID = (1L << 24) - 1;

    private final Map<RuleKey, Entry> entries = new LinkedHashMap<>();
    private long nextId;
    /** Whether every id was handed out once: from then on, ids are checked against those held. */
    private boolean wrapped;

    public RuleTable() {
        this(1);
    }

    /** A table whose first new rule gets {@code firstId} (tests of what happens once every id was handed out). */
    RuleTable(long firstId) {
        this.nextId = firstId;
    }

    private record Entry(long id, LbRule rule, Set<String> downTargets) {
        ServicePlan plan() {
            List<EndpointSpec> up = rule.endpoints().stream()
                    .filter(e -> !downTargets.contains(e.target())).toList();
            return new ServicePlan(id, rule, up);
        }
    }

    /** A rule with its id (the data plane's mark) and the state of each endpoint, for GET. */
    public record RuleView(long id, LbRule rule, Map<EndpointSpec, Boolean> endpointUp) {
    }

    /**
     * Adds the rule, or updates the rule with the same key in place, as upstream does: only a
     * change of endpoints, probe, selection, mode or allowed sources counts as a change (anything
     * else is {@link RuleError#EXISTS}), and an update keeps the old name, BGP flag and managed flag.
     */
    public synchronized Change upsert(LbRule rule) {
        Entry old = entries.get(rule.key());
        if (old != null) {
            LbRule was = old.rule();
            if (!was.secondaryIps().equals(rule.secondaryIps())) {
                throw new RuleException(RuleError.SECONDARY_IP_MODIFY, "secondaryIPs of " + rule.key() + " cannot change");
            }
            if (!updatable(was, rule)) {
                throw new RuleException(RuleError.EXISTS, "lb rule " + rule.key() + " exists and is unchanged");
            }
            rule = new LbRule(rule.key(), was.name(), rule.selection(), rule.mode(), was.bgp(), rule.monitor(),
                    rule.inactiveTimeoutSeconds(), was.managed(), rule.snat(), rule.egress(), rule.privateIp(),
                    rule.security(), rule.probe(), rule.secondaryIps(), rule.allowedSources(), rule.endpoints());
        }
        long id = old != null ? old.id() : newId();
        Set<String> down = new HashSet<>();
        if (old != null && rule.probed()) {
            // endpoints kept across an update keep their probed state
            for (EndpointSpec e : rule.endpoints()) {
                if (old.downTargets().contains(e.target())) {
                    down.add(e.target());
                }
            }
        }
        Entry next = new Entry(id, rule, Set.copyOf(down));
        entries.put(rule.key(), next);
        return new Change(old == null ? null : old.plan(), next.plan());
    }

    /**
     * Ids in order; once all were handed out (after about 16.7 million rules made), the next one
     * onwards, round the range, that no rule holds: an id is handed out again only long after its
     * rule went.
     */
    private long newId() {
        if (!wrapped) {
            long id = nextId;
            wrapped = id >= MAX_ID;
            nextId = wrapped ? 1 : id + 1;
            return id;
        }
        Set<Long> held = new HashSet<>();
        for (Entry e : entries.values()) {
            held.add(e.id());
        }
        for (long tries = 0; tries < MAX_ID; tries++) {
            long id = nextId;
            nextId = id >= MAX_ID ? 1 : id + 1;
            if (!held.contains(id)) {
                return id;
            }
        }
        throw new IllegalStateException("all " + MAX_ID + " rule ids are held");
    }

    /** Upstream's test of "changed" for a re-posted rule (rules.go, AddLbRule). */
    private static boolean updatable(LbRule was, LbRule now) {
        return !Set.copyOf(was.endpoints()).equals(Set.copyOf(now.endpoints()))
                || !was.probe().equals(now.probe())
                || was.monitor() != now.monitor()
                || was.selection() != now.selection()
                || was.mode() != now.mode()
                || was.allowedSources().size() != now.allowedSources().size()
                || !was.allowedSources().equals(now.allowedSources());
    }

    public synchronized Change delete(RuleKey key) {
        Entry old = entries.remove(key);
        if (old == null) {
            throw new RuleException(RuleError.NO_RULE, "no lb rule " + key);
        }
        return new Change(old.plan(), null);
    }

    /** Deletes every rule named {@code name}; none found is fine, as upstream. */
    public synchronized List<Change> deleteByName(String name) {
        List<RuleKey> keys = entries.values().stream()
                .filter(e -> e.rule().name().equals(name)).map(e -> e.rule().key()).toList();
        return keys.stream().map(this::delete).toList();
    }

    public synchronized List<Change> deleteAll() {
        List<Change> all = new ArrayList<>();
        for (RuleKey k : List.copyOf(entries.keySet())) {
            all.add(delete(k));
        }
        return all;
    }

    /**
     * Records a probe result for {@code target} (ip:port) in every probed rule that has that
     * endpoint; returns the changes for rules whose set of live endpoints changed.
     */
    public synchronized List<Change> endpointProbed(String target, boolean up) {
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<RuleKey, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            if (!e.rule().probed() || e.rule().endpoints().stream().noneMatch(x -> x.target().equals(target))) {
                continue;
            }
            if (e.downTargets().contains(target) == !up) {
                continue;
            }
            Set<String> down = new HashSet<>(e.downTargets());
            if (up) {
                down.remove(target);
            } else {
                down.add(target);
            }
            Entry next = new Entry(e.id(), e.rule(), Set.copyOf(down));
            me.setValue(next);
            changes.add(new Change(e.plan(), next.plan()));
        }
        return changes;
    }

    /** Undoes a change that the data plane could not apply, if nothing has replaced it since. */
    public synchronized void revert(Change c) {
        Entry current = entries.get(c.key());
        ServicePlan now = current == null ? null : current.plan();
        boolean stillOurs = (c.after() == null && now == null)
                || (c.after() != null && c.after().equals(now));
        if (!stillOurs) {
            return;
        }
        if (c.before() == null) {
            entries.remove(c.key());
        } else {
            ServicePlan b = c.before();
            Set<String> down = new HashSet<>();
            for (EndpointSpec e : b.rule().endpoints()) {
                if (!b.activeEndpoints().contains(e)) {
                    down.add(e.target());
                }
            }
            entries.put(c.key(), new Entry(b.id(), b.rule(), Set.copyOf(down)));
        }
    }

    public synchronized List<RuleView> list() {
        List<RuleView> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            Map<EndpointSpec, Boolean> states = new LinkedHashMap<>();
            for (EndpointSpec ep : e.rule().endpoints()) {
                states.put(ep, !e.downTargets().contains(ep.target()));
            }
            out.add(new RuleView(e.id(), e.rule(), states));
        }
        return out;
    }

    public synchronized List<LbRule> rules() {
        return entries.values().stream().map(Entry::rule).toList();
    }

    public synchronized List<ServicePlan> plans() {
        return entries.values().stream().map(Entry::plan).toList();
    }

    public synchronized int size() {
        return entries.size();
    }
}
