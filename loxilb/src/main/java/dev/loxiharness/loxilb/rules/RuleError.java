package dev.loxiharness.loxilb.rules;

/**
 * Upstream loxilb's error strings for rule operations (pkg/loxinet/rules.go). They are part of the
 * contract: clients such as kube-loxilb match on them, and the REST layer derives the HTTP status
 * from them exactly as upstream does.
 */
public enum RuleError {
    EXISTS("lbrule-exists error"),
    NO_RULE("no-rule error"),
    MALFORMED_SERVICE("malformed-service error"),
    MALFORMED_PRIVATE_IP("malformed-service privateIP error"),
    SERVICE_ARGS("service-args error"),
    PROBE_TYPE("malformed-service-ptype error"),
    PROBE_PORT("malformed-service-pport error"),
    ENDPOINTS_RANGE("endpoints-range error"),
    MALFORMED_PROTO("malformed-proto error"),
    SECONDARY_IP_ARGS("secondaryIP-args error"),
    SECONDARY_IP_LEN("secondaryIP-args len error"),
    PORT_RANGE("serv-port-args range error"),
    MALFORMED_SECONDARY_IP("malformed-secIP error"),
    MALFORMED_ENDPOINT("malformed-lbep error"),
    ALLOWED_SOURCE("rule-allowed-src error"),
    SECONDARY_IP_MODIFY("secIP modify error"),
    HOST_NOT_FOUND("host-notfound error"),
    HOST_PARSE("host-parse error"),
    HOST_ARGS("host-args error"),
    HOST_PROBE_TYPE("host-args unknown probe type"),
    HOST_PROBE_PORT("host-args unknown probe port"),
    BGP_DISABLED("loxilb BGP mode is disabled"),
    NO_NEIGHBOUR("no neigh found"),
    NEIGHBOUR_EXISTS("bgp-neigh exists error"),
    BGP_ARGS("malformed-bgp-args error"),
    CI_STATE("invalid cluster-state"),
    /** Not upstream's: a mode or selection that upstream has but nftables cannot do. */
    UNSUPPORTED("malformed-service unsupported error"),
    /** Not upstream's: the data plane refused the change (nothing was applied). */
    DATAPLANE("dataplane not-ready error");

    public final String text;

    RuleError(String text) {
        this.text = text;
    }

    /** Our own errors carry their detail in the answer; upstream's are answered verbatim. */
    public boolean detailed() {
        return this == UNSUPPORTED || this == DATAPLANE || this == BGP_ARGS || this == CI_STATE;
    }
}
