package dev.loxiharness.controller.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What may change while the controller runs (loxi-ccm reads it from its ConfigMap): the loxilb
 * URLs, the address pools (name to CIDR or range, {@value #DEFAULT_POOL} first), BGP, the LB mode
 * and whether each Service gets an address of its own.
 */
public record Settings(List<String> loxiUrls, Map<String, String> pools, boolean setBgp, int lbMode, boolean uniqueIp) {
    public static final String DEFAULT_POOL = "defaultPool";

    public Settings {
        loxiUrls = List.copyOf(loxiUrls);
        pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
        if (lbMode < 0 || lbMode > 5) {
            throw new IllegalArgumentException("setLBMode must be 0 (default), 1 (onearm), 2 (fullnat), 3 (dsr), 4 (fullproxy) or 5 (hostonearm), not " + lbMode);
        }
    }

    public Settings withLoxiUrls(List<String> urls) {
        return new Settings(urls, pools, setBgp, lbMode, uniqueIp);
    }

    public Settings withPools(Map<String, String> p) {
        return new Settings(loxiUrls, p, setBgp, lbMode, uniqueIp);
    }

    public Settings withSetBgp(boolean b) {
        return new Settings(loxiUrls, pools, b, lbMode, uniqueIp);
    }

    public Settings withLbMode(int m) {
        return new Settings(loxiUrls, pools, setBgp, m, uniqueIp);
    }

    public Settings withUniqueIp(boolean u) {
        return new Settings(loxiUrls, pools, setBgp, lbMode, u);
    }

    /** Splits a comma-separated list (e.g. {@code --loxiURL}), dropping blanks. */
    public static List<String> splitList(String value) {
        if (value == null) {
            return List.of();
        }
        return Arrays.stream(value.split("[,\\s]+")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Parses {@code --cidrPools}: {@code name=cidr,name=cidr}. */
    public static Map<String, String> parsePools(String value) {
        Map<String, String> pools = new LinkedHashMap<>();
        for (String item : splitList(value)) {
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("pool '" + item + "' is not name=CIDR (e.g. defaultPool=123.123.123.1/24)");
            }
            pools.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        return pools;
    }

    /** Reads setBGP as kube-loxilb (a number, non-zero is on) or loxi-ccm (true/false) spells it. */
    public static boolean parseBgp(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "true", "yes", "on" -> {
                return true;
            }
            case "", "false", "no", "off" -> {
                return false;
            }
            default -> {
                try {
                    return Long.parseLong(v) != 0;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("setBGP must be true/false or a number (kube-loxilb: the local AS, 0 = off), not '" + value + "'");
                }
            }
        }
    }
}
