package dev.loxiharness.controller.loxilb;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What identifies a rule in loxilb as we use it: external IP, port and protocol (block 0, no range, no host). */
public record RuleKey(String externalIP, int port, String protocol) {

    /** kube-loxilb's delete path for this rule, with its query ({@code bgp} then {@code block}). */
    public String deletePath(boolean bgp) {
        return "/netlox/v1/config/loadbalancer/externalipaddress/" + enc(externalIP) + "/port/" + port
                + "/protocol/" + enc(protocol) + "?bgp=" + bgp + "&block=0";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return externalIP + ":" + port + "/" + protocol;
    }
}
