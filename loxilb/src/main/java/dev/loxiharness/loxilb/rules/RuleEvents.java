package dev.loxiharness.loxilb.rules;


/** Told when a rule comes into being or goes away (after the data plane has it), e.g. for BGP. */
public interface RuleEvents {
    RuleEvents NONE = new RuleEvents() {
        @Override
        public void created(LbRule rule) {
        }

        @Override
        public void deleted(LbRule rule, boolean withdrawRoute) {
        }
    };

    void created(LbRule rule);

    /** {@code withdrawRoute}: whether the caller asked for the VIP's route to go (upstream's {@code ?bgp=}). */
    void deleted(LbRule rule, boolean withdrawRoute);
}
