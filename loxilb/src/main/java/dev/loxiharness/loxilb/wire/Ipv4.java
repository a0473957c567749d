package dev.loxiharness.loxilb.wire;

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

    public static boolean isIpv6(String s) {
        return s != null && s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }
}
