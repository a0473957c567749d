package dev.loxiharness.loxilb.lb;

import dev.loxiharness.loxilb.rules.HaState;
import dev.loxiharness.loxilb.rules.RuleError;
import dev.loxiharness.loxilb.rules.RuleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The cluster instances and their HA state (upstream's CIStateH): {@code llb-inst0} exists from
 * the start as NOT_DEFINED; a new state is announced to the listeners (the BGP speaker re-advertises
 * the VIPs with the master's or the backup's attributes). FAULT and STOP count as NOT_DEFINED, as
 * upstream maps them.
 */
public final class ClusterInstances {
    public static final String DEFAULT = "llb-inst0";

    /** One instance: its state and its VIP ({@code 0.0.0.0} when none). */
    public record Instance(String name, HaState state, String vip) {
    }

    private final Map<String, Instance> instances = new TreeMap<>(Map.of(DEFAULT, new Instance(DEFAULT, HaState.NOT_DEFINED, "0.0.0.0")));
    private final List<BiConsumer<String, HaState>> listeners = new CopyOnWriteArrayList<>();

    public void onChange(BiConsumer<String, HaState> listener) {
        listeners.add(listener);
    }

    /** {@code POST /config/cistate}: sets an instance's state (creating it); an unknown state is refused. */
    public void set(String name, String state, String vip) {
        HaState s = HaState.parse(state).orElseThrow(() -> new RuleException(RuleError.CI_STATE, "state " + state
                + " (MASTER, BACKUP, FAULT, STOP, NOT_DEFINED)"));
        String instance = name == null || name.isBlank() ? DEFAULT : name;
        boolean changed;
        synchronized (this) {
            Instance old = instances.get(instance);
            changed = old == null || old.state() != s;
            instances.put(instance, new Instance(instance, s, vip == null || vip.isBlank() ? "0.0.0.0" : vip));
        }
        if (changed) {
            listeners.forEach(l -> l.accept(instance, s));
        }
    }

    public synchronized List<Instance> all() {
        return new ArrayList<>(instances.values());
    }

    public synchronized HaState state(String instance) {
        Instance i = instances.get(instance);
        return i == null ? HaState.NOT_DEFINED : i.state();
    }
}
