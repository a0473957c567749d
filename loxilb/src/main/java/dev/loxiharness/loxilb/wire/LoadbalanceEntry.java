package dev.loxiharness.loxilb.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Upstream loxilb's {@code LoadbalanceEntry} (swagger {@code api/swagger.yml}), field for field.
 * Scalars are boxed so that an absent key is told apart from a zero; on output, keys come in
 * alphabetical order and zero values are left out, as Go's encoding of upstream's model does
 * ({@code omitempty}; the two lists without it print as {@code null}).
 */
@JsonPropertyOrder(alphabetic = true)
public class LoadbalanceEntry {
    @JsonProperty("serviceArguments")
    public ServiceArguments serviceArguments;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonProperty("secondaryIPs")
    public List<SecondaryIp> secondaryIPs;
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonProperty("allowedSources")
    public List<AllowedSource> allowedSources;
    @JsonProperty("endpoints")
    public List<Endpoint> endpoints;

    @JsonPropertyOrder(alphabetic = true)
    public static class ServiceArguments {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("externalIP")
        public String externalIP;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("port")
        public Long port;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("portMax")
        public Long portMax;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("protocol")
        public String protocol;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("sel")
        public Long sel;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("mode")
        public Long mode;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("bgp")
        public Boolean bgp;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("monitor")
        public Boolean monitor;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("inactiveTimeOut")
        public Long inactiveTimeOut;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("block")
        public Long block;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("managed")
        public Boolean managed;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("name")
        public String name;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("snat")
        public Boolean snat;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("oper")
        public Long oper;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("probetype")
        public String probetype;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("probeport")
        public Long probeport;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("probereq")
        public String probereq;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("proberesp")
        public String proberesp;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("probeTimeout")
        public Long probeTimeout;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("probeRetries")
        public Long probeRetries;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("egress")
        public Boolean egress;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("host")
        public String host;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("privateIP")
        public String privateIP;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("security")
        public Long security;
    }

    @JsonPropertyOrder(alphabetic = true)
    public static class Endpoint {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("endpointIP")
        public String endpointIP;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("targetPort")
        public Long targetPort;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("weight")
        public Long weight;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("state")
        public String state;
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("counter")
        public String counter;
    }

    @JsonPropertyOrder(alphabetic = true)
    public static class SecondaryIp {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("secondaryIP")
        public String secondaryIP;
    }

    @JsonPropertyOrder(alphabetic = true)
    public static class AllowedSource {
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        @JsonProperty("prefix")
        public String prefix;
    }
}
