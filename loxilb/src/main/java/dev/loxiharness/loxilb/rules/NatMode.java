package dev.loxiharness.loxilb.rules;

import java.util.Arrays;
import java.util.Optional;

/** Upstream's load-balancer modes, with their wire codes ({@code mode}). */
public enum NatMode {
    DEFAULT(0, "default", true),
    ONEARM(1, "onearm", true),
    FULLNAT(2, "fullnat", true),
    DSR(3, "dsr", false),
    FULLPROXY(4, "fullproxy", false),
    HOSTONEARM(5, "hostonearm", false);

    public final int code;
    public final String label;
    /** Whether the nftables data plane can do it. */
    public final boolean supported;

    NatMode(int code, String label, boolean supported) {
        this.code = code;
        this.label = label;
        this.supported = supported;
    }

    /** Source NAT to the load balancer's own address on the way to the endpoint. */
    public boolean masquerades() {
        return this == ONEARM || this == FULLNAT;
    }

    public static Optional<NatMode> fromCode(long code) {
        return Arrays.stream(values()).filter(m -> m.code == code).findFirst();
    }

    public static Optional<NatMode> fromLabel(String label) {
        return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst();
    }

    public static String supportedLabels() {
        return String.join(", ", Arrays.stream(values()).filter(m -> m.supported)
                .map(m -> m.label + " (" + m.code + ")").toList());
    }
}
