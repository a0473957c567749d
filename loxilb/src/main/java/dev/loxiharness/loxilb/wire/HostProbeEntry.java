package dev.loxiharness.loxilb.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** Upstream's {@code EndPoint} (POST /config/endpoint) and {@code EndPointGetEntry} (GET) in one. */
@JsonPropertyOrder(alphabetic = true)
public class HostProbeEntry {
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("hostName")
    public String hostName;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("name")
    public String name;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("inactiveReTries")
    public Long inactiveReTries;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("probeType")
    public String probeType;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("probeReq")
    public String probeReq;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("probeResp")
    public String probeResp;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("probeDuration")
    public Long probeDuration;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("probePort")
    public Long probePort;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    @JsonProperty("currState")
    public String currState;
}
