package dev.loxiharness.loxilb.dataplane;

import dev.loxiharness.loxilb.rules.Change;
import dev.loxiharness.loxilb.rules.ServicePlan;
import java.util.List;

/** Where rules turn into packet forwarding. Every call is all or nothing. */
public interface Dataplane extends AutoCloseable {

    /** Replaces whatever this data plane had with exactly these services. */
    void reset(List<ServicePlan> services);

    /** Applies the changes, in order, as one transaction. */
    void apply(List<Change> changes);

    /** Removes everything this data plane installed. */
    @Override
    void close();
}
