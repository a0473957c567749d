package dev.loxiharness.loxilb.lb;

import dev.loxiharness.loxilb.dataplane.Dataplane;
import dev.loxiharness.loxilb.probe.EndpointProber;
import dev.loxiharness.loxilb.probe.ProbeTarget;
import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.EndpointSpec;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.RuleError;
import dev.loxiharness.loxilb.rules.RuleEvents;
import dev.loxiharness.loxilb.rules.RuleException;
import dev.loxiharness.loxilb.rules.RuleKey;
import dev.loxiharness.loxilb.rules.RuleTable;
import dev.loxiharness.loxilb.store.RuleStore;
import dev.loxiharness.loxilb.wire.LoadbalanceEntry;
import dev.loxiharness.loxilb.wire.RuleMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load balancer: rule table, data plane, persistence and probes wired together. Every mutation
 * returns once the data plane forwards accordingly and the rules are on disk.
 */
public final class LoadBalancer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancer.class);
    private static final int DEFAULT_PROBE_INTERVAL = 60;
    private static final int DEFAULT_PROBE_RETRIES = 2;

    private final RuleTable table = new RuleTable();
    private final ClusterInstances clusters = new ClusterInstances();
    private final Dataplane dataplane;
    private final RuleStore store;
    private volatile RuleEvents events = RuleEvents.NONE;
    /** Whether anything is probed now; when nothing is and a change adds no probe, probes need no sync. */
    private volatile boolean probing;
    private final Map<String, ProbeTarget> hostProbes = new LinkedHashMap<>();
    /** Each rule as stored, kept so that a change re-encodes only the rules it touched. */
    private final Map<RuleKey, byte[]> stored = new LinkedHashMap<>();
    private final EndpointProber prober;
    private final ChangeApplier applier;

    /** The cluster instances' HA states ({@code /config/cistate}). */
    public ClusterInstances clusters() {
        return clusters;
    }

    public LoadBalancer(Dataplane dataplane, RuleStore store) {
        this.dataplane = dataplane;
        this.store = store;
        this.prober = new EndpointProber(this::endpointProbed);
        this.applier = new ChangeApplier(table, dataplane, this::committed, this::foldJournal);
    }

    /** Who hears of created and deleted rules, e.g. the BGP speaker that advertises VIPs. */
    public void setRuleEvents(RuleEvents events) {
        this.events = events;
    }

    /** Loads the stored rules into the table and programs the data plane from scratch. */
    public void restore() {
        int n = 0;
        boolean rewrite = store.journalOnDisk();
        // each stored entry is mapped once: for its key while the journal is folded in, then kept
        Map<LoadbalanceEntry, LbRule> mapped = new IdentityHashMap<>();
        Function<LoadbalanceEntry, LbRule> toRule = entry -> mapped.computeIfAbsent(entry, RuleMapper::toRule);
        for (LoadbalanceEntry e : store.load(entry -> toRule.apply(entry).key())) {
            try {
                table.upsert(toRule.apply(e));
                n++;
            } catch (RuntimeException ex) {
                rewrite = true;
                LOG.error("stored rule skipped ({}): {}", store.file(), ex.getMessage());
            }
        }
        dataplane.reset(table.plans());
        synchronized (stored) {
            stored.clear();
            for (LbRule r : table.rules()) {
                stored.put(r.key(), RuleStore.encode(RuleMapper.toStored(r)));
            }
            if (rewrite) {
                // the file again, with the journal folded in and the skipped rules left out
                store.saveEncoded(stored.values());
            }
        }
        if (table.rules().stream().anyMatch(LbRule::probed)) {
            syncProbes();
        }
        table.rules().forEach(events::created);
        if (n > 0) {
            LOG.info("restored {} rules from {}", n, store.file());
        }
    }

    public void add(LbRule rule) {
        Change c = table.upsert(rule);
        await(applier.submit(List.of(c)));
        if (c.before() == null) {
            events.created(c.after().rule());
        }
    }

    /** Deletes one rule; {@code withdrawRoute} is upstream's {@code ?bgp=} of the DELETE. */
    public LbRule delete(RuleKey key, boolean withdrawRoute) {
        Change c = table.delete(key);
        await(applier.submit(List.of(c)));
        events.deleted(c.before().rule(), withdrawRoute);
        return c.before().rule();
    }

    /** Deletes the rules of that name; their VIP routes go by the rules' own BGP flag. */
    public List<LbRule> deleteByName(String name) {
        return deleteAll(table.deleteByName(name));
    }

    public List<LbRule> deleteAll() {
        return deleteAll(table.deleteAll());
    }

    private List<LbRule> deleteAll(List<Change> changes) {
        if (!changes.isEmpty()) {
            await(applier.submit(changes));
        }
        List<LbRule> gone = changes.stream().map(c -> c.before().rule()).toList();
        gone.forEach(r -> events.deleted(r, r.bgp()));
        return gone;
    }

    public List<RuleTable.RuleView> rules() {
        return table.list();
    }

    /** Per-endpoint traffic counters from the data plane (rule id -> ip:port -> packets:bytes). */
    public Map<Long, Map<String, String>> counters() {
        return dataplane.counters();
    }

    /** Adds or replaces a host probe (POST /config/endpoint). */
    public synchronized void putHostProbe(ProbeTarget t) {
        hostProbes.put(t.hostKey(), t);
        syncProbes();
    }

    /** Removes host probes of {@code ip}, optionally only the one named; false when none matched. */
    public synchronized boolean removeHostProbe(String ip, String name) {
        boolean removed = hostProbes.entrySet().removeIf(e -> e.getValue().ip().equals(ip)
                && (name == null || name.isEmpty() || e.getKey().equals(name)));
        syncProbes();
        return removed;
    }

    public Map<ProbeTarget, EndpointProber.State> probeStates() {
        return prober.states();
    }

    public synchronized Map<String, ProbeTarget> hostProbes() {
        return new LinkedHashMap<>(hostProbes);
    }

    private void endpointProbed(String endpoint, boolean up) {
        List<Change> changes = table.endpointProbed(endpoint, up);
        if (!changes.isEmpty()) {
            applier.submit(changes);
        }
    }

    private void committed(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        synchronized (stored) {
            List<byte[]> records = new ArrayList<>();
            for (Change c : changes) {
                if (c.after() == null) {
                    byte[] was = stored.remove(c.key());
                    if (was != null) {
                        records.add(RuleStore.record(was, true));
                    }
                } else {
                    byte[] now = RuleStore.encode(RuleMapper.toStored(c.after().rule()));
                    if (!Arrays.equals(now, stored.put(c.key(), now))) {
                        records.add(RuleStore.record(now, false));
                    }
                }
            }
            if (!records.isEmpty()) {
                store.append(records, stored.values());
            }
        }
        if (probing || changes.stream().anyMatch(c -> c.after() != null && c.after().rule().probed()
                || c.before() != null && c.before().rule().probed())) {
            syncProbes();
        }
    }

    /** Quiet for a while (or stopping): the rules file alone holds every rule again. */
    private void foldJournal() {
        synchronized (stored) {
            if (store.journalPending()) {
                store.saveEncoded(stored.values());
            }
        }
    }

    private synchronized void syncProbes() {
        List<ProbeTarget> wanted = new ArrayList<>(hostProbes.values());
        probing = !wanted.isEmpty();
        for (LbRule r : table.rules()) {
            if (!r.probed()) {
                continue;
            }
            for (EndpointSpec ep : r.endpoints()) {
                wanted.add(ruleProbe(r, ep));
                probing = true;
            }
        }
        prober.sync(wanted);
    }

    /** A rule's probe of one endpoint: its probe type, else its protocol, on the endpoint's port by default. */
    static ProbeTarget ruleProbe(LbRule r, EndpointSpec ep) {
        String type = r.probe().active() ? r.probe().type() : r.key().protocol().wire();
        int port = type.equals("ping") ? 0 : (r.probe().port() != 0 ? r.probe().port() : ep.port());
        int interval = r.probe().timeoutSeconds() > 0 ? r.probe().timeoutSeconds() : DEFAULT_PROBE_INTERVAL;
        int retries = r.probe().retries() > 0 ? r.probe().retries() : DEFAULT_PROBE_RETRIES;
        return new ProbeTarget(ep.ip(), ep.port(), type, port, r.probe().request(), r.probe().response(),
                interval, retries);
    }

    private static void await(CompletableFuture<Void> f) {
        try {
            f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuleException re) {
                throw re;
            }
            throw new RuleException(RuleError.DATAPLANE, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new RuleException(RuleError.DATAPLANE, "data plane did not answer within 120 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuleException(RuleError.DATAPLANE, "interrupted");
        }
    }

    @Override
    public void close() {
        prober.close();
        applier.close();
    }
}
