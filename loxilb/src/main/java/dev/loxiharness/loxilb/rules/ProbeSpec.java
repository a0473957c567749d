package dev.loxiharness.loxilb.rules;

/**
 * How a rule's endpoints are checked. {@code type} is one of {@code tcp}, {@code udp},
 * {@code http}, {@code https}, {@code ping} or {@code none}; {@code port} 0 means the endpoint's
 * own port.
 */
public record ProbeSpec(String type, int port, String request, String response, int timeoutSeconds, int retries) {
    public static final ProbeSpec NONE = new ProbeSpec("none", 0, "", "", 0, 0);

    public boolean active() {
        return !"none".equals(type);
    }
}
