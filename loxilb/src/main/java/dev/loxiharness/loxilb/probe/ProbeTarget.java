package dev.loxiharness.loxilb.probe;

/**
 * One thing to probe: the endpoint it speaks for ({@code ip:port}), how to probe it, how often
 * and after how many failures in a row it counts as down.
 */
public record ProbeTarget(String ip, int endpointPort, String type, int port, String request, String response,
                          int intervalSeconds, int retries) {

    /** The endpoint this probe decides about, as {@code EndpointSpec.target()} names it. */
    public String endpoint() {
        return ip + ":" + endpointPort;
    }

    /** Upstream's ep-host key, {@code <ip>_<probetype>_<port>}. */
    public String hostKey() {
        return ip + "_" + type + "_" + port;
    }
}
