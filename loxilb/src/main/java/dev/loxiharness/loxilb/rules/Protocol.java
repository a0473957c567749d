package dev.loxiharness.loxilb.rules;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Transport protocols a rule can balance. */
public enum Protocol {
    TCP, UDP, SCTP;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Protocol> fromWire(String s) {
        return Arrays.stream(values()).filter(p -> p.wire().equals(s)).findFirst();
    }
}
