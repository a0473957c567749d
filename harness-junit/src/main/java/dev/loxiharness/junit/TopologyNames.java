package dev.loxiharness.junit;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A test's topology runs under a name of its own (e.g. {@code seed-k3f}), so it never collides with
 * one that {@code ./topology up} left running, nor with another build: every namespace, process and
 * state folder is named after it ({@link dev.loxiharness.harness.model.Topology#withName}).
 */
final class TopologyNames {
    /** The schema's limit for names: {@code ^[a-z][a-z0-9-]{0,11}$}. */
    private static final int MAX_NAME = 12;

    private TopologyNames() {
    }

    static String unique(String base) {
        String suffix = Integer.toString(36 * 36 + ThreadLocalRandom.current().nextInt(36 * 36 * 35), 36);
        String stem = base.length() > MAX_NAME - 4 ? base.substring(0, MAX_NAME - 4) : base;
        while (stem.endsWith("-")) {
            stem = stem.substring(0, stem.length() - 1);
        }
        return stem + "-" + suffix;
    }
}
