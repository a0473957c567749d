package dev.loxiharness.loxilb.rules;

/**
 * What makes a rule unique, as in upstream: VIP, protocol, port range, block and host. Posting a
 * rule with an existing key updates that rule (or is refused as a duplicate when nothing changed).
 */
public record RuleKey(String vip, Protocol protocol, int port, int portMax, int block, String host) {

    /** The port range's last port: {@code portMax} when it is set, else {@code port}. */
    public int lastPort() {
        return Math.max(port, portMax);
    }

    public boolean isRange() {
        return portMax > port;
    }

    @Override
    public String toString() {
        return vip + ":" + port + (isRange() ? "-" + portMax : "") + "/" + protocol.wire()
                + (block != 0 ? " block " + block : "") + (host.isEmpty() ? "" : " host " + host);
    }
}
