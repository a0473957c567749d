package dev.loxiharness.loxilb.dataplane;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.List;
import java.util.Map;

/** Where rules turn into packet forwarding. Every call is all or nothing. */
public interface Dataplane extends AutoCloseable {

    /** Replaces whatever this data plane had with exactly these services. */
    void reset(List<ServicePlan> services);

    /** Applies the changes, in order, as one transaction. */
    void apply(List<Change> changes);

    /**
     * Traffic per endpoint so far: rule id -> endpoint ({@code ip:port}) -> {@code packets:bytes},
     * as upstream's {@code counter}. Endpoints without traffic are absent.
     */
    default Map<Long, Map<String, String>> counters() {
        return Map.of();
    }

    /** Removes everything this data plane installed. */
    @Override
    void close();
}
