package dev.loxiharness.junit.capture;

import java.time.Instant;
import java.util.Set;

/**
 * A captured IPv4 packet, decoded: addresses, protocol, ports (0 for ICMP and others) and TCP
 * flags ({@code SYN}, {@code ACK}, {@code FIN}, {@code RST}, {@code PSH}).
 */
public record CapturedPacket(Instant time, String src, int srcPort, String dst, int dstPort, String protocol,
                             Set<String> tcpFlags, int length) {

    public boolean isSyn() {
        return tcpFlags.contains("SYN") && !tcpFlags.contains("ACK");
    }

    /** {@code addr:port} of the destination. */
    public String dstEndpoint() {
        return dst + ":" + dstPort;
    }

    public String srcEndpoint() {
        return src + ":" + srcPort;
    }

    @Override
    public String toString() {
        return srcEndpoint() + " > " + dstEndpoint() + " " + protocol + (tcpFlags.isEmpty() ? "" : " " + tcpFlags) + " len " + length;
    }
}
