package dev.loxiharness.controller.k8s;

import java.util.Set;

/**
 * What the controller holds for one Service: its external address, the pool it came from (null for
 * a static address outside every pool), whether it was asked for with {@code loxilb.io/staticIP},
 * and the ports ({@code 8888/tcp}) it serves on that address.
 */
record ServiceState(String ip, String pool, boolean isStatic, Set<String> ports) {
    ServiceState {
        ports = Set.copyOf(ports);
    }

    ServiceState withPorts(Set<String> p) {
        return new ServiceState(ip, pool, isStatic, p);
    }

    ServiceState withPool(String p) {
        return new ServiceState(ip, p, isStatic, ports);
    }
}
