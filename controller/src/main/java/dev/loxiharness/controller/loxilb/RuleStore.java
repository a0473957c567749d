package dev.loxiharness.controller.loxilb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules every loxilb should have, by Service. The reconciler replaces a Service's rules as a
 * whole; each {@link LoxilbTarget} listens and converges its loxilb on the keys that changed.
 */
public final class RuleStore {
    private static final Logger LOG = LoggerFactory.getLogger(RuleStore.class);

    /** Told about every change, under the store's lock: implementations only record and wake up. */
    public interface Listener {
        /** The desired rule for {@code key} is new, changed or gone. */
        void changed(RuleKey key);

        /** {@code old} must leave loxilb before its key's desired rule (if any) is posted. */
        void removed(LbRule old);
    }

    private final Map<RuleKey, LbRule> desired = new ConcurrentHashMap<>();
    private final Map<RuleKey, String> owners = new HashMap<>();
    private final Map<String, Map<RuleKey, LbRule>> byService = new HashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** The desired rule for a key, or null. */
    public LbRule get(RuleKey key) {
        return desired.get(key);
    }

    public synchronized List<RuleKey> keys() {
        return List.copyOf(desired.keySet());
    }

    public synchronized List<LbRule> rules(String service) {
        return List.copyOf(byService.getOrDefault(service, Map.of()).values());
    }

    public synchronized int size() {
        return desired.size();
    }

    /** Makes {@code rules} the whole set of rules of {@code service}. */
    public synchronized void replace(String service, List<LbRule> rules) {
        Map<RuleKey, LbRule> next = new LinkedHashMap<>();
        for (LbRule rule : rules) {
            next.put(rule.key(), rule);
        }
        Map<RuleKey, LbRule> previous = byService.getOrDefault(service, Map.of());
        for (Map.Entry<RuleKey, LbRule> e : previous.entrySet()) {
            if (!next.containsKey(e.getKey()) && service.equals(owners.get(e.getKey()))) {
                desired.remove(e.getKey());
                owners.remove(e.getKey());
                notifyRemoved(e.getValue());
                notifyChanged(e.getKey());
            }
        }
        for (LbRule rule : next.values()) {
            RuleKey key = rule.key();
            LbRule current = desired.get(key);
            String owner = owners.get(key);
            if (owner != null && !owner.equals(service)) {
                // Address management keeps keys apart; if two Services still meet here, the last wins.
                LOG.warn("rule {} of Service {} replaces the rule of Service {}", key, service, owner);
                Map<RuleKey, LbRule> theirs = byService.get(owner);
                if (theirs != null) {
                    theirs.remove(key);
                }
            }
            if (rule.equals(current)) {
                continue;
            }
            // The new rule is in place before anyone is told, so that a target that looks at once
            // sees it (and never mistakes the old rule for the desired one).
            desired.put(key, rule);
            owners.put(key, service);
            if (current != null && !current.sameIdentity(rule)) {
                notifyRemoved(current);
            }
            notifyChanged(key);
        }
        if (next.isEmpty()) {
            byService.remove(service);
        } else {
            byService.put(service, next);
        }
    }

    public void remove(String service) {
        replace(service, List.of());
    }

    private void notifyChanged(RuleKey key) {
        for (Listener l : listeners) {
            l.changed(key);
        }
    }

    private void notifyRemoved(LbRule rule) {
        for (Listener l : listeners) {
            l.removed(rule);
        }
    }

    /** All desired rules, for diagnostics. */
    public synchronized List<LbRule> all() {
        return new ArrayList<>(desired.values());
    }
}
