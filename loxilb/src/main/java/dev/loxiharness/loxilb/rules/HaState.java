package dev.loxiharness.loxilb.rules;

import java.util.Optional;

/**
 * A cluster instance's HA state as upstream names it ({@code POST /config/cistate}): an external
 * agent (keepalived, kube-loxilb) says which loxilb is MASTER; BGP then advertises the VIPs so that
 * routers prefer the master.
 */
public enum HaState {
    MASTER, BACKUP, FAULT, STOP, NOT_DEFINED;

    public static Optional<HaState> parse(String s) {
        for (HaState h : values()) {
            if (h.name().equals(s)) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }
}
