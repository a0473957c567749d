package dev.loxiharness.loxilb.wire;

import java.util.Optional;
import java.util.regex.Pattern;

/** Strict IPv4 address and prefix syntax, as Go's net.ParseIP / ParseCIDR accept them. */
public final class Ipv4 {
    private static final Pattern OCTET = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern ADDRESS = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private Ipv4() {
    }

    public static boolean isAddress(String s) {
        return s != null && ADDRESS.matcher(s).matches();
    }

    /** An address or an address/len prefix. */
    public static boolean isPrefix(String s) {
        if (s == null) {
            return false;
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            return isAddress(s);
        }
        String len = s.substring(slash + 1);
        return isAddress(s.substring(0, slash)) && len.matches("\\d{1,2}") && Integer.parseInt(len) <= 32;
    }

    /**
     * Why {@code address} (a valid IPv4 address) cannot be a VIP, or empty when it can. Traffic to the
     * unspecified, limited-broadcast, loopback or multicast address never reaches a load balancer as
     * a unicast flow to DNAT, so a rule for one would be accepted and never match; upstream's eBPF
     * path only gives 0.0.0.0 a meaning for egress and hostonearm rules, which nftables refuses anyway.
     */
    public static Optional<String> unusableAsVip(String address) {
        String[] o = address.split("\\.");
        int first = Integer.parseInt(o[0]);
        if (address.equals("0.0.0.0")) {
            return Optional.of("the unspecified address");
        }
        if (address.equals("255.255.255.255")) {
            return Optional.of("the limited broadcast address");
        }
        if (first == 127) {
            return Optional.of("a loopback address (127.0.0.0/8)");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("a multicast address (224.0.0.0/4)");
        }
        return Optional.empty();
    }

    public static boolean isIpv6(String s) {
        return s != null && s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }
}
