package dev.loxiharness.loxilb.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoxicmdGetTest {
    /** Four rules in no particular order, one of them SNAT (never listed in tables). */
    static final String RULES = """
            {"lbAttr":[
             {"allowedSources":null,"endpoints":[{"counter":"3:180","endpointIP":"31.31.31.1","state":"active",
               "targetPort":8080,"weight":1}],"secondaryIPs":null,
              "serviceArguments":{"externalIP":"10.10.10.2","inactiveTimeOut":240,"mode":1,"name":"web","port":80,
               "protocol":"tcp","proxyprotocolv2":true,"security":1,"sel":1}},
             {"allowedSources":null,"endpoints":[{"counter":"0:0","endpointIP":"32.32.32.1","state":"active",
               "targetPort":53,"weight":2}],"secondaryIPs":null,
              "serviceArguments":{"block":7,"externalIP":"10.10.10.1","inactiveTimeOut":20,"mode":2,"monitor":true,
               "name":"dns","port":8080,"portMax":8081,"protocol":"udp","sel":3}},
             {"allowedSources":null,"endpoints":[{"counter":"0:0","endpointIP":"33.33.33.1","state":"active",
               "targetPort":0,"weight":1}],"secondaryIPs":null,
              "serviceArguments":{"externalIP":"10.10.10.1","inactiveTimeOut":240,"port":443,"protocol":"tcp",
               "snat":true}},
             {"allowedSources":null,"endpoints":[
               {"counter":"0:0","endpointIP":"34.34.34.1","state":"active","targetPort":80,"weight":1},
               {"counter":"0:0","endpointIP":"34.34.34.2","state":"inactive","targetPort":80,"weight":1}],
              "secondaryIPs":null,
              "serviceArguments":{"externalIP":"10.10.10.1","inactiveTimeOut":240,"port":80,"protocol":"tcp"}}
            ]}""";

    FakeLoxilb api;

    @BeforeEach
    void start() throws Exception {
        api = new FakeLoxilb().answer("GET", "/netlox/v1/config/loadbalancer/all", 200, RULES);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void getLbSortsSkipsSnatAndShowsTodaysColumns() {
        FakeLoxilb.Run run = api.loxicmd("get", "lb");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo("""
                |   EXT IP   |   PORT    |   PROTO   | NAME | MARK |   SEL   |    MODE     | # OF ENDPOINTS \
                | TIMEOUT | MONITOR |
                |------------|-----------|-----------|------|------|---------|-------------|----------------\
                |---------|---------|
                | 10.10.10.1 |        80 | tcp       |      |    0 | rr      | default     |              2 \
                |     240 | Off     |
                | 10.10.10.1 | 8080-8081 | udp       | dns  |    7 | persist | fullnat     |              1 \
                |      20 | On      |
                | 10.10.10.2 |        80 | tcp:https | web  |    0 | hash    | onearm:ppv2 |              1 \
                |     240 | Off     |
                """);
        assertThat(api.requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.uri()).isEqualTo("/netlox/v1/config/loadbalancer/all");
            assertThat(r.headers().get("Content-type")).containsExactly("application/json");
        });
    }

    @Test
    void aliasesServNameAndGlobalOptionsAnywhere() {
        for (String alias : new String[] {"lb", "loadbalancer", "lbs", "loadbalancers"}) {
            assertThat(api.loxicmd("get", alias).out()).contains("10.10.10.2");
        }
        FakeLoxilb.Run run = api.loxicmd("get", "lb", "--servName", "dns");
        assertThat(run.out()).contains("dns").doesNotContain("web").doesNotContain("| 80 ");
        assertThat(run.out().lines()).hasSize(3);

        FakeLoxilb.Run before = FakeLoxilb.run(Map.of(),
                "-o", "wide", "-s", "127.0.0.1", "-p", Integer.toString(api.port()), "get", "lb");
        assertThat(before.out()).isEqualTo(api.loxicmd("get", "lb", "-o", "wide").out()).contains("|  ENDPOINT  |");
    }

    @Test
    void wideHasOneRowPerEndpointAndStateOnlyWhenMonitored() {
        String out = api.loxicmd("get", "lb", "-o", "wide").out();
        assertThat(out.lines()).hasSize(2 + 4);
        assertThat(out.lines().toList().get(2)).startsWith("| 10.10.10.1 |").endsWith("| 34.34.34.1 |    80 |      1 | -      | 0:0      |");
        assertThat(out.lines().toList().get(3)).startsWith("|            |").contains("| 34.34.34.2 |");
        assertThat(out.lines().toList().get(4)).contains("| 8080-8081 | udp ").contains("| active |");
    }

    @Test
    void legacyPrintsTheSeedDocumentsFormat() {
        api.answer("GET", "/netlox/v1/config/loadbalancer/all", 200, """
                {"lbAttr":[{"allowedSources":null,"endpoints":[
                  {"counter":"0:0","endpointIP":"10.0.0.1","state":"active","targetPort":80,"weight":1},
                  {"counter":"0:0","endpointIP":"10.0.0.2","state":"active","targetPort":80,"weight":1}],
                 "secondaryIPs":null,"serviceArguments":{"externalIP":"123.123.123.15","inactiveTimeOut":240,
                 "port":8888,"protocol":"tcp"}}]}""");

        assertThat(api.loxicmd("get", "lb", "--legacy").out()).isEqualTo("""
                |  EXTERNAL IP   | PORT | PROTOCOL | SELECT | # OF ENDPOINTS |
                |----------------|------|----------|--------|----------------|
                | 123.123.123.15 | 8888 | tcp      |      0 |              2 |
                """);
    }

    @Test
    void jsonIsGoIndentedInTheApiOrderWithLoxicmdKeys() {
        api.answer("GET", "/netlox/v1/config/loadbalancer/all", 200,
                "{\"lbAttr\":[{\"allowedSources\":null,\"endpoints\":[{\"counter\":\"0:0\",\"endpointIP\":\"2.2.3.4\","
                        + "\"state\":\"active\",\"targetPort\":1920,\"weight\":1}],\"secondaryIPs\":null,"
                        + "\"serviceArguments\":{\"externalIP\":\"1.1.1.1\",\"inactiveTimeOut\":240,\"port\":1828,"
                        + "\"protocol\":\"tcp\"}}]}");

        assertThat(api.loxicmd("get", "lb", "-o", "json").out()).isEqualTo("""
                {
                    "lbAttr": [
                        {
                            "serviceArguments": {
                                "externalIP": "1.1.1.1",
                                "port": 1828,
                                "protocol": "tcp",
                                "sel": 0,
                                "mode": 0,
                                "BGP": false,
                                "Monitor": false,
                                "inactiveTimeOut": 240,
                                "block": 0,
                                "proxyprotocolv2": false,
                                "egress": false
                            },
                            "secondaryIPs": null,
                            "allowedSources": null,
                            "endpoints": [
                                {
                                    "endpointIP": "2.2.3.4",
                                    "targetPort": 1920,
                                    "weight": 1,
                                    "state": "active",
                                    "counter": "0:0"
                                }
                            ]
                        }
                    ]
                }
                """);

        api.answer("GET", "/netlox/v1/config/loadbalancer/all", 200, "{\"lbAttr\":[]}");
        assertThat(api.loxicmd("get", "lb", "-o", "json").out()).isEqualTo("{\n    \"lbAttr\": []\n}\n");
        assertThat(api.loxicmd("get", "lb").out()).isEmpty();
    }

    @Test
    void otherGetCommands() {
        api.answer("GET", "/netlox/v1/config/cistate/all", 200,
                "{\"Attr\":[{\"instance\":\"llb-inst0\",\"state\":\"NOT_DEFINED\",\"sync\":null,\"vip\":\"0.0.0.0\"}]}");
        api.answer("GET", "/netlox/v1/version", 200, "{\"buildInfo\":\"2025_09_24_10h:05m-main\",\"version\":\"0.9.8.8\"}");
        api.answer("GET", "/netlox/v1/config/bgp/neigh/all", 200, "{\"bgpNeiAttr\":[{\"ipAddress\":\"10.10.10.254\","
                + "\"remoteAs\":64512,\"state\":\"ESTABLISHED\",\"updowntime\":\"00:01:05\"}]}");
        api.answer("GET", "/netlox/v1/config/endpoint/all", 200, "{\"Attr\":[{\"avgDelay\":\"1.5ms\","
                + "\"currState\":\"ok\",\"hostName\":\"32.32.32.1\",\"inactiveReTries\":2,\"maxDelay\":\"2ms\","
                + "\"minDelay\":\"1.2ms\",\"name\":\"32.32.32.1_http_8080\",\"probeDuration\":60,\"probePort\":8080,"
                + "\"probeType\":\"http\"}]}");

        assertThat(api.loxicmd("get", "hastate").out()).isEqualTo("""
                | INSTANCE  |   HASTATE   |
                |-----------|-------------|
                | llb-inst0 | NOT_DEFINED |
                """);
        assertThat(api.loxicmd("get", "hastate", "-o", "json").out()).isEqualTo("""
                {
                    "Attr": [
                        {
                            "instance": "llb-inst0",
                            "state": "NOT_DEFINED",
                            "sync": null,
                            "vip": "0.0.0.0"
                        }
                    ]
                }
                """);
        assertThat(api.loxicmd("get", "lbversion").out()).isEqualTo("""
                | LOXILB VERSION |    LOXILB BUILD INFO    |
                |----------------|-------------------------|
                | 0.9.8.8        | 2025_09_24_10h:05m-main |
                """);
        for (String alias : new String[] {"bgpneighbor", "bgpneigh", "bgpnei"}) {
            assertThat(api.loxicmd("get", alias).out()).isEqualTo("""
                    |     PEER     |  AS   | UP/DOWN  |    STATE    |
                    |--------------|-------|----------|-------------|
                    | 10.10.10.254 | 64512 | 00:01:05 | ESTABLISHED |
                    """);
        }
        for (String alias : new String[] {"endpoint", "ep", "endpoints"}) {
            assertThat(api.loxicmd("get", alias).out()).isEqualTo("""
                    |    HOST    |         NAME         | PTYPE | PORT | DURATION | RETRIES | MINDELAY | AVGDELAY \
                    | MAXDELAY | STATE |
                    |------------|----------------------|-------|------|----------|---------|----------|----------\
                    |----------|-------|
                    | 32.32.32.1 | 32.32.32.1_http_8080 | http: | 8080 |       60 |       2 | 1.2ms    | 1.5ms    \
                    | 2ms      | ok    |
                    """);
        }
    }

    @Test
    void nonOkAnswerToGetPrintsNothingOnStdoutAndFails() {
        api.answer("GET", "/netlox/v1/config/loadbalancer/all", 500,
                "{\"code\":500,\"fields\":null,\"message\":\"boom\",\"result\":\"boom\"}");
        FakeLoxilb.Run run = api.loxicmd("get", "lb");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("loxicmd: GET /netlox/v1/config/loadbalancer/all answered 500: boom\n");
    }

    @Test
    void environmentGivesTheBaseUrlUnlessAddressOptionsAreGiven() {
        FakeLoxilb.Run viaEnv = FakeLoxilb.run(Map.of("LOXILB_API", "http://127.0.0.1:" + api.port() + "/"), "get", "lb");
        assertThat(viaEnv.exitCode()).isZero();
        assertThat(viaEnv.out()).contains("10.10.10.2");

        FakeLoxilb.Run overridden = FakeLoxilb.run(Map.of("LOXILB_API", "http://127.0.0.1:" + api.port()),
                "-p", "1", "get", "lb");
        assertThat(overridden.exitCode()).isEqualTo(1);
        assertThat(overridden.err()).startsWith("loxicmd: cannot reach loxilb API at http://127.0.0.1:1 (");
    }
}
