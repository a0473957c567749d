package dev.loxiharness.loxilb.rules;

/**
 * One step of the rule table: {@code before} null means created, {@code after} null means deleted.
 * The data plane applies changes; when it cannot, the table is put back with {@link RuleTable#revert}.
 */
public record Change(ServicePlan before, ServicePlan after) {

    public RuleKey key() {
        return after != null ? after.key() : before.key();
    }

    /** True when the data plane has nothing to do (e.g. only the name or the BGP flag changed). */
    public boolean dataplaneNoop() {
        return before != null && after != null && before.id() == after.id()
                && sameForwarding(before, after);
    }

    private static boolean sameForwarding(ServicePlan a, ServicePlan b) {
        LbRule x = a.rule();
        LbRule y = b.rule();
        return a.activeEndpoints().equals(b.activeEndpoints())
                && x.selection() == y.selection() && x.mode() == y.mode()
                && x.allowedSources().equals(y.allowedSources())
                && x.inactiveTimeoutSeconds() == y.inactiveTimeoutSeconds();
    }
}
