package dev.loxiharness.loxilb.rules;

import java.util.Arrays;
import java.util.Optional;

/** Upstream's endpoint selection algorithms, with their wire codes ({@code sel}). */
public enum Selection {
    RR(0, "rr", true),
    HASH(1, "hash", true),
    PRIORITY(2, "priority", true),
    PERSIST(3, "persist", true),
    LEAST_CONNECTIONS(4, "lc", false),
    N2(5, "n2", false),
    N3(6, "n3", false);

    public final int code;
    public final String label;
    /** Whether the nftables data plane can do it. */
    public final boolean supported;

    Selection(int code, String label, boolean supported) {
        this.code = code;
        this.label = label;
        this.supported = supported;
    }

    public static Optional<Selection> fromCode(long code) {
        return Arrays.stream(values()).filter(s -> s.code == code).findFirst();
    }

    public static Optional<Selection> fromLabel(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst();
    }

    public static String supportedLabels() {
        return String.join(", ", Arrays.stream(values()).filter(s -> s.supported)
                .map(s -> s.label + " (" + s.code + ")").toList());
    }
}
