package dev.loxiharness.loxilb.wire;

/**
 * Go's zero values for the wire model's optional fields: what upstream's structs hold where the JSON
 * left a field out (a Java null here).
 */
public final class GoZero {
    private GoZero() {
    }

    public static String str(String s) {
        return s == null ? "" : s;
    }

    public static long num(Long n) {
        return n == null ? 0 : n;
    }

    public static boolean bool(Boolean b) {
        return b != null && b;
    }
}
