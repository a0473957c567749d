package dev.loxiharness.loxilb.rules;

/** One backend of a rule: where traffic goes and its weight. */
public record EndpointSpec(String ip, int port, int weight) {

    /** The backend's address and port, which is what its probe and its state are about. */
    public String target() {
        return ip + ":" + port;
    }
}
