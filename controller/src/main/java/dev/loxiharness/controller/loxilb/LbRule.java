package dev.loxiharness.controller.loxilb;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The body kube-loxilb POSTs to {@code /netlox/v1/config/loadbalancer} (its
 * {@code api.LoadBalancerModel}), key for key and in its key order, so that a loxilb sees from us
 * exactly what it sees from kube-loxilb. loxilb matches keys case-insensitively, which is why
 * {@code BGP} and {@code Monitor} are spelt as kube-loxilb spells them.
 */
@JsonPropertyOrder({"serviceArguments", "secondaryIPs", "allowedSources", "endpoints"})
public record LbRule(
        @JsonProperty("serviceArguments") ServiceArguments serviceArguments,
        @JsonProperty("secondaryIPs") List<SecondaryIp> secondaryIPs,
        @JsonProperty("allowedSources") List<AllowedSource> allowedSources,
        @JsonProperty("endpoints") List<Endpoint> endpoints) {

    public LbRule {
        secondaryIPs = List.copyOf(secondaryIPs);
        allowedSources = List.copyOf(allowedSources);
        endpoints = List.copyOf(endpoints);
    }

    /** Just enough of a rule to delete it: its key, name and BGP flag. */
    public static LbRule forDelete(RuleKey key, String name, boolean bgp) {
        return new LbRule(new ServiceArguments(key.externalIP(), "", key.port(), key.protocol(), 0, 0, bgp, false, 0, 0, true,
                "", 0, "", "", 0, 0, 0, name, 0), List.of(), List.of(), List.of());
    }

    public RuleKey key() {
        return new RuleKey(serviceArguments.externalIP(), serviceArguments.port(), serviceArguments.protocol());
    }

    public String name() {
        return serviceArguments.name();
    }

    public boolean bgp() {
        return serviceArguments.bgp();
    }

    /**
     * loxilb updates an existing rule in place but keeps its {@code name}, {@code bgp},
     * {@code managed} and {@code block}: a rule that differs there must be deleted and posted anew.
     */
    public boolean sameIdentity(LbRule other) {
        ServiceArguments a = serviceArguments;
        ServiceArguments b = other.serviceArguments;
        return a.name().equals(b.name()) && a.bgp() == b.bgp() && a.managed() == b.managed() && a.block() == b.block();
    }

    /** {@code serviceArguments}: kube-loxilb's {@code api.LoadBalancerService}. */
    @JsonPropertyOrder({"externalIP", "privateIP", "port", "protocol", "sel", "mode", "BGP", "Monitor",
            "inactiveTimeOut", "block", "managed", "probetype", "probeport", "probereq", "proberesp",
            "probeRetries", "probeTimeout", "security", "name", "oper"})
    public record ServiceArguments(
            @JsonProperty("externalIP") String externalIP,
            @JsonProperty("privateIP") String privateIP,
            @JsonProperty("port") int port,
            @JsonProperty("protocol") String protocol,
            @JsonProperty("sel") int sel,
            @JsonProperty("mode") int mode,
            @JsonProperty("BGP") boolean bgp,
            @JsonProperty("Monitor") boolean monitor,
            @JsonProperty("inactiveTimeOut") int inactiveTimeOut,
            @JsonProperty("block") int block,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("managed") boolean managed,
            @JsonProperty("probetype") String probetype,
            @JsonProperty("probeport") int probeport,
            @JsonProperty("probereq") String probereq,
            @JsonProperty("proberesp") String proberesp,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("probeRetries") int probeRetries,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("probeTimeout") int probeTimeout,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("security") int security,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("name") String name,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("oper") int oper) {
    }

    /** kube-loxilb's {@code api.LoadBalancerEndpoint}; {@code state} and {@code counter} are sent empty. */
    @JsonPropertyOrder({"endpointIP", "targetPort", "weight", "state", "counter"})
    public record Endpoint(
            @JsonProperty("endpointIP") String endpointIP,
            @JsonProperty("targetPort") int targetPort,
            @JsonProperty("weight") int weight,
            @JsonProperty("state") String state,
            @JsonProperty("counter") String counter) {

        public Endpoint(String endpointIP, int targetPort, int weight) {
            this(endpointIP, targetPort, weight, "", "");
        }
    }

    public record SecondaryIp(@JsonProperty("secondaryIP") String secondaryIP) {
    }

    public record AllowedSource(@JsonProperty("prefix") String prefix) {
    }
}
