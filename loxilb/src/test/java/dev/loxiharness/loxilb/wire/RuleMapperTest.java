package dev.loxiharness.loxilb.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.loxiharness.loxilb.rules.LbRule;
import dev.loxiharness.loxilb.rules.RuleException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleMapperTest {
    static final String SEED = """
            {"serviceArguments":{"externalIP":"123.123.123.15","port":8888,"protocol":"tcp","sel":0,
             "BGP":true,"Monitor":false,"inactiveTimeOut":0,"managed":true,"name":"default_nginx-service:llb-inst0",
             "path_prefix":"/","mtls_frontend":false},
             "secondaryIPs":null,"allowedSources":null,
             "endpoints":[{"endpointIP":"192.168.57.101","targetPort":31655,"weight":1,"state":"","counter":""},
                          {"endpointIP":"192.168.57.102","targetPort":31655,"weight":1,"state":"","counter":""}]}""";

    static LbRule parse(String json) throws Exception {
        return RuleMapper.toRule(Json.MAPPER.readValue(json, LoadbalanceEntry.class));
    }

    @Test
    void kubeLoxilbBodyWithCapitalisedAndUnknownKeysIsAccepted() throws Exception {
        LbRule r = parse(SEED);
        assertThat(r.bgp()).isTrue();
        assertThat(r.managed()).isTrue();
        assertThat(r.endpoints()).hasSize(2);
        assertThat(r.inactiveTimeoutSeconds()).isEqualTo(240);
    }

    @Test
    void getEchoesLikeUpstream() throws Exception {
        String out = Json.MAPPER.writeValueAsString(RuleMapper.toWire(parse(SEED), Map.of()));
        assertThat(out).startsWith("{\"allowedSources\":null,\"endpoints\":[{\"counter\":\"0:0\",\"endpointIP\":"
                + "\"192.168.57.101\",\"state\":\"active\",\"targetPort\":31655,\"weight\":1}");
        assertThat(out).contains("\"secondaryIPs\":null,\"serviceArguments\":{\"bgp\":true,\"externalIP\":"
                + "\"123.123.123.15\",\"inactiveTimeOut\":240,\"managed\":true,\"name\":\"default_nginx-service:llb-inst0\","
                + "\"port\":8888,\"protocol\":\"tcp\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"externalIP\":\"123.123.123.15\"|\"externalIP\":\"123.123.123.256\"|malformed-service error",
            "\"protocol\":\"tcp\"|\"protocol\":\"\"|malformed-proto error",
            "\"port\":8888|\"port\":70000|serv-port-args range error",
            "\"inactiveTimeOut\":0|\"inactiveTimeOut\":90000|service-args error",
            "\"targetPort\":31655|\"targetPort\":-1|malformed-lbep error",
            "\"endpointIP\":\"192.168.57.101\"|\"endpointIP\":\"node1\"|malformed-lbep error",
            "\"sel\":0|\"sel\":4|malformed-service unsupported error",
            "\"sel\":0|\"mode\":3|malformed-service unsupported error",
            "\"allowedSources\":null|\"allowedSources\":[{\"prefix\":\"10.0.0.0/33\"}]|rule-allowed-src error",
            "\"secondaryIPs\":null|\"secondaryIPs\":[{\"secondaryIP\":\"1.1.1.1\"}]|secondaryIP-args error",
    })
    void badArgumentsGiveUpstreamsErrorStrings(String from, String to, String error) {
        assertThatThrownBy(() -> parse(SEED.replace(from, to)))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.result()).startsWith(error));
    }

    @ParameterizedTest
    @CsvSource({"0.0.0.0, unspecified", "255.255.255.255, broadcast", "127.0.0.1, loopback",
            "127.255.0.9, loopback", "224.0.0.5, multicast", "239.255.255.250, multicast"})
    void addressesThatNeverCarryAUnicastFlowAreRefusedAsVips(String vip, String why) {
        assertThatThrownBy(() -> parse(SEED.replace("123.123.123.15", vip)))
                .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.result()).isEqualTo("malformed-service error"))
                .hasMessageContaining(why);
    }

    @ParameterizedTest
    @CsvSource({"1.0.0.0", "126.255.255.255", "128.0.0.1", "223.255.255.255", "240.0.0.1", "255.255.255.254"})
    void theirNeighboursAreFineVips(String vip) throws Exception {
        assertThat(parse(SEED.replace("123.123.123.15", vip)).key().vip()).isEqualTo(vip);
    }

    @Test
    void endpointCountMustBeOneToThirtyTwo() {
        StringBuilder eps = new StringBuilder();
        for (int i = 1; i <= 33; i++) {
            eps.append(i > 1 ? "," : "").append("{\"endpointIP\":\"10.0.0.").append(i)
                    .append("\",\"targetPort\":80,\"weight\":1}");
        }
        String many = SEED.substring(0, SEED.indexOf("\"endpoints\":")) + "\"endpoints\":[" + eps + "]}";
        String none = SEED.substring(0, SEED.indexOf("\"endpoints\":")) + "\"endpoints\":[]}";
        assertThatThrownBy(() -> parse(many)).hasMessageStartingWith("endpoints-range error");
        assertThatThrownBy(() -> parse(none)).hasMessageStartingWith("endpoints-range error");
    }

    @Test
    void missingRequiredFieldsAreSchemaErrors() {
        assertThatThrownBy(() -> parse("{\"endpoints\":[]}"))
                .isInstanceOfSatisfying(SchemaException.class, e -> assertThat(e.httpStatus()).isEqualTo(422));
        assertThatThrownBy(() -> parse(SEED.replace("\"port\":8888,", "")))
                .hasMessage("serviceArguments.port in body is required");
        assertThatThrownBy(() -> parse(SEED.replace("\"protocol\":\"tcp\"", "\"protocol\":\"gre\"")))
                .hasMessageContaining("should be one of [tcp udp sctp icmp]");
    }

    @Test
    void wrongTypesAreNotCoerced() {
        assertThatThrownBy(() -> parse(SEED.replace("\"port\":8888", "\"port\":\"8888\"")))
                .isInstanceOf(MismatchedInputException.class);
    }
}
