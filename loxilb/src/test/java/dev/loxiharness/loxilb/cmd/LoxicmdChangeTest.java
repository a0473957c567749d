package dev.loxiharness.loxilb.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoxicmdChangeTest {
    static final String SUCCESS = "{\"result\":\"Success\"}";

    FakeLoxilb api;

    @BeforeEach
    void start() throws Exception {
        api = new FakeLoxilb().answer("POST", "*", 200, SUCCESS).answer("DELETE", "*", 200, SUCCESS);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createLbPostsUpstreamsBody() {
        FakeLoxilb.Run run = api.loxicmd("create", "lb", "1.1.1.1", "--tcp=1828:1920", "--endpoints=2.2.3.4:1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("ProtoPortpair: map[tcp:[1828:1920]]\nDebug: response.StatusCode: 200\nSuccess\n");
        assertThat(api.requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.uri()).isEqualTo("/netlox/v1/config/loadbalancer");
            assertThat(r.body()).isEqualTo("{\"serviceArguments\":{\"externalIP\":\"1.1.1.1\",\"port\":1828,"
                    + "\"protocol\":\"tcp\",\"sel\":0,\"mode\":0,\"BGP\":false,\"Monitor\":false,\"inactiveTimeOut\":0,"
                    + "\"block\":0,\"proxyprotocolv2\":false,\"egress\":false},\"secondaryIPs\":null,"
                    + "\"allowedSources\":null,\"endpoints\":[{\"endpointIP\":\"2.2.3.4\",\"targetPort\":1920,"
                    + "\"weight\":1,\"state\":\"\",\"counter\":\"\"}]}");
        });
    }

    @Test
    void createLbWithPortRangeAndEveryOption() {
        FakeLoxilb.Run run = api.loxicmd("create", "lb", "192.168.0.200", "--tcp=8080-8081:32015",
                "--endpoints=10.212.0.1:1,10.212.0.2:2", "--select=hash", "--mode=fullnat", "--name=svc",
                "--mark=10", "--inatimeout=30", "--monitor", "--bgp", "--sources=10.10.10.0/24", "--security=https",
                "--host=loxilb.io", "--ppv2en", "--attachEP");

        assertThat(run.exitCode()).isZero();
        assertThat(api.requests).singleElement().extracting(FakeLoxilb.Request::body).isEqualTo(
                "{\"serviceArguments\":{\"externalIP\":\"192.168.0.200\",\"port\":8080,\"portMax\":8081,"
                        + "\"protocol\":\"tcp\",\"sel\":1,\"mode\":2,\"BGP\":true,\"Monitor\":true,\"inactiveTimeOut\":30,"
                        + "\"block\":10,\"name\":\"svc\",\"oper\":1,\"security\":1,\"host\":\"loxilb.io\","
                        + "\"proxyprotocolv2\":true,\"egress\":false},\"secondaryIPs\":null,"
                        + "\"allowedSources\":[{\"prefix\":\"10.10.10.0/24\"}],\"endpoints\":["
                        + "{\"endpointIP\":\"10.212.0.1\",\"targetPort\":32015,\"weight\":1,\"state\":\"\",\"counter\":\"\"},"
                        + "{\"endpointIP\":\"10.212.0.2\",\"targetPort\":32015,\"weight\":2,\"state\":\"\",\"counter\":\"\"}]}");
    }

    @Test
    void createLbOneRulePerProtocolAndTargetPortRanges() {
        FakeLoxilb.Run run = api.loxicmd("create", "lb", "2001::1", "--udp=5000:5201-5202", "--sctp=38412:38412",
                "--secips=2001::2", "--endpoints=4ffe::1:1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ProtoPortpair: map[sctp:[38412:38412] udp:[5000:5201-5202]]\n");
        assertThat(api.requests).hasSize(2);
        assertThat(api.requests.get(0).body()).contains("\"protocol\":\"sctp\"")
                .contains("\"secondaryIPs\":[{\"secondaryIP\":\"2001::2\"}]")
                .contains("{\"endpointIP\":\"4ffe::1\",\"targetPort\":38412,\"weight\":1,");
        assertThat(api.requests.get(1).body()).contains("\"protocol\":\"udp\"")
                .contains("\"targetPort\":5201").contains("\"targetPort\":5202");
    }

    @Test
    void createLbArgumentErrors() {
        FakeLoxilb.Run badIp = api.loxicmd("create", "lb", "1.1.1", "--tcp=80:80", "--endpoints=2.2.2.2:1");
        assertThat(badIp.exitCode()).isEqualTo(1);
        assertThat(badIp.err()).isEqualTo("Error: externel IP '1.1.1' is invalid format\n");

        FakeLoxilb.Run dsr = api.loxicmd("create", "lb", "1.1.1.1", "--tcp=80:8080", "--endpoints=2.2.2.2:1",
                "--mode=dsr", "--select=hash");
        assertThat(dsr.exitCode()).isEqualTo(1);
        assertThat(dsr.err()).isEqualTo("Error: No port-translation in dsr mode\n");

        FakeLoxilb.Run secIps = api.loxicmd("create", "lb", "1.1.1.1", "--tcp=80:80", "--secips=1.1.1.2");
        assertThat(secIps.err()).isEqualTo("Secondary IPs allowed in SCTP only\n");

        assertThat(api.loxicmd("create", "lb", "--tcp=80:80").exitCode()).isEqualTo(2);
        assertThat(api.loxicmd("create", "lb", "1.1.1.1", "--bogus").exitCode()).isEqualTo(2);
        assertThat(api.requests).isEmpty();
    }

    @Test
    void createLbRefusedPrintsTheResultAndFails() {
        api.answer("POST", "/netlox/v1/config/loadbalancer", 409, "{\"code\":409,\"fields\":null,"
                + "\"message\":\"Resource conflict: Resource already exists OR dependency not found\","
                + "\"result\":\"lbrule-exists error\"}");
        FakeLoxilb.Run run = api.loxicmd("create", "lb", "1.1.1.1", "--tcp=80:80", "--endpoints=2.2.2.2:1");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).endsWith("Debug: response.StatusCode: 409\nlbrule-exists error\n");

        api.answer("POST", "/netlox/v1/config/loadbalancer", 200,
                "{\"result\":\"Error: Only Hash Selection criteria allowed for DSR mode\"}");
        FakeLoxilb.Run old = api.loxicmd("create", "lb", "1.1.1.1", "--tcp=80:80", "--endpoints=2.2.2.2:1", "--mode=dsr");
        assertThat(old.exitCode()).isEqualTo(1);
        assertThat(old.out()).endsWith("Debug: response.StatusCode: 200\nError: Only Hash Selection criteria allowed for DSR mode\n");
    }

    @Test
    void deleteLbUsesTheHostUrlPortMaxPath() {
        FakeLoxilb.Run run = api.loxicmd("delete", "lb", "1.1.1.1", "--tcp=1828");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                PortNumberList: map[tcp:[1828]]
                subResources: [hosturl any externalipaddress 1.1.1.1 port 1828 portmax 0 protocol tcp]
                Debug: response.StatusCode: 200
                Success
                """);
        assertThat(api.requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.uri()).isEqualTo("/netlox/v1/config/loadbalancer/hosturl/any/externalipaddress/1.1.1.1"
                    + "/port/1828/portmax/0/protocol/tcp?bgp=false&block=0");
        });
    }

    @Test
    void deleteLbVariants() {
        api.loxicmd("delete", "lb", "1.1.1.1", "--udp=8080-8081", "--bgp", "--mark=5", "--host=loxilb.io");
        api.loxicmd("delete", "lb", "--name=http-service");
        api.answer("DELETE", "*", 404, "{\"code\":404,\"fields\":null,\"message\":\"Resource not found\","
                + "\"result\":\"no-rule error\"}");
        FakeLoxilb.Run missing = api.loxicmd("delete", "lb", "9.9.9.9", "--tcp=80");

        assertThat(api.requests).extracting(FakeLoxilb.Request::uri).containsExactly(
                "/netlox/v1/config/loadbalancer/hosturl/loxilb.io/externalipaddress/1.1.1.1/port/8080/portmax/8081"
                        + "/protocol/udp?bgp=true&block=5",
                "/netlox/v1/config/loadbalancer/name/http-service",
                "/netlox/v1/config/loadbalancer/hosturl/any/externalipaddress/9.9.9.9/port/80/portmax/0/protocol/tcp"
                        + "?bgp=false&block=0");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).endsWith("Debug: response.StatusCode: 404\nno-rule error\n");
    }

    @Test
    void endpointAndBgpNeighborCommands() {
        assertThat(api.loxicmd("create", "endpoint", "32.32.32.1", "--name=ep1", "--probetype=http",
                "--probeport=8080").out()).isEqualTo("Debug: response.StatusCode: 200\nSuccess\n");
        api.loxicmd("delete", "endpoint", "32.32.32.1", "--name=ep1", "--probetype=http", "--probeport=8080");
        assertThat(api.loxicmd("create", "bgpneighbor", "10.10.10.254", "64512").out()).isEqualTo("Success\n");
        api.loxicmd("delete", "bgpneigh", "10.10.10.254", "64512");

        assertThat(api.requests).extracting(r -> r.method() + " " + r.uri() + " " + r.body()).containsExactly(
                "POST /netlox/v1/config/endpoint {\"hostName\":\"32.32.32.1\",\"name\":\"ep1\",\"inactiveReTries\":2,"
                        + "\"probeType\":\"http\",\"probeReq\":\"\",\"probeResp\":\"\",\"probeDuration\":60,\"probePort\":8080}",
                "DELETE /netlox/v1/config/endpoint/epipaddress/32.32.32.1?name=ep1&probe_port=8080&probe_type=http ",
                "POST /netlox/v1/config/bgp/neigh {\"ipAddress\":\"10.10.10.254\",\"remoteAs\":64512,\"remotePort\":0,"
                        + "\"setMultiHop\":false}",
                "DELETE /netlox/v1/config/bgp/neigh/10.10.10.254?remoteAs=64512 ");

        FakeLoxilb.Run badProbe = api.loxicmd("create", "endpoint", "32.32.32.1", "--probetype=tcp");
        assertThat(badProbe.exitCode()).isEqualTo(1);
        assertThat(badProbe.err()).isEqualTo("probeport cant be 0 for 'tcp' probes\n");
    }

    @Test
    void apiDownIsOneLineOnStderrAndExitOne() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        for (String[] cmd : new String[][] {{"get", "lb"}, {"create", "lb", "1.1.1.1", "--tcp=80:80",
                "--endpoints=2.2.2.2:1"}, {"delete", "lb", "1.1.1.1", "--tcp=80"}}) {
            String[] args = new String[cmd.length + 4];
            System.arraycopy(new String[] {"-s", "127.0.0.1", "-p", Integer.toString(freePort)}, 0, args, 0, 4);
            System.arraycopy(cmd, 0, args, 4, cmd.length);
            FakeLoxilb.Run run = FakeLoxilb.run(Map.of(), args);
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("loxicmd: cannot reach loxilb API at http://127.0.0.1:" + freePort
                    + " (connection refused)\n");
            assertThat(run.out()).doesNotContain("Debug").doesNotContain("Success");
        }
    }

    @Test
    void apiTooSlowTimesOut() throws Exception {
        // A listening socket that is never accepted: the connection is made, no answer ever comes.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            FakeLoxilb.Run run = FakeLoxilb.run(Map.of(), "-p", Integer.toString(silent.getLocalPort()),
                    "-t", "1", "get", "lb");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("loxicmd: cannot reach loxilb API at http://127.0.0.1:"
                    + silent.getLocalPort() + " (no answer within 1s)\n");
            assertThat(System.nanoTime() - start).isLessThan(8_000_000_000L);
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(api.loxicmd().exitCode()).isEqualTo(2);
        assertThat(api.loxicmd("get").exitCode()).isEqualTo(2);
        FakeLoxilb.Run unknown = api.loxicmd("get", "nosuchthing");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("nosuchthing");
        assertThat(api.loxicmd("frobnicate").exitCode()).isEqualTo(2);
        assertThat(api.loxicmd("get", "lb", "--nope").exitCode()).isEqualTo(2);
        assertThat(api.loxicmd("save", "-c", "/nonexistent").exitCode()).isEqualTo(2);
        assertThat(api.loxicmd("version").out()).isEqualTo("Loxicmd version: 0.9.8.3-beta\nLoxicmd build info: \n");
        assertThat(api.requests).isEmpty();
    }

    @Test
    void saveThenApplyRoundTrip(@TempDir Path dir) throws Exception {
        api.answer("GET", "/netlox/v1/config/loadbalancer/all", 200, """
                {"lbAttr":[
                 {"allowedSources":[{"prefix":"10.0.0.0/8"}],"endpoints":[{"counter":"12:3456","endpointIP":"2.2.3.4",
                   "state":"active","targetPort":1920,"weight":1}],"secondaryIPs":null,
                  "serviceArguments":{"block":3,"externalIP":"1.1.1.1","inactiveTimeOut":240,"name":"mine","port":1828,
                   "portMax":1830,"protocol":"tcp","sel":1}},
                 {"allowedSources":null,"endpoints":[{"counter":"0:0","endpointIP":"3.3.3.3","state":"active",
                   "targetPort":80,"weight":1}],"secondaryIPs":null,
                  "serviceArguments":{"externalIP":"5.5.5.5","inactiveTimeOut":1800,"managed":true,
                   "name":"default_nginx:llb-inst0","port":80,"protocol":"tcp"}},
                 {"allowedSources":null,"endpoints":[{"counter":"0:0","endpointIP":"4.4.4.4","state":"active",
                   "targetPort":0,"weight":1}],"secondaryIPs":null,
                  "serviceArguments":{"externalIP":"6.6.6.6","inactiveTimeOut":240,"port":0,"protocol":"tcp","snat":true}}
                ]}""");
        String saved = "{\"lbAttr\":[{\"serviceArguments\":{\"externalIP\":\"1.1.1.1\",\"port\":1828,\"portMax\":1830,"
                + "\"protocol\":\"tcp\",\"sel\":1,\"mode\":0,\"BGP\":false,\"Monitor\":false,\"inactiveTimeOut\":240,"
                + "\"block\":3,\"name\":\"mine\",\"proxyprotocolv2\":false,\"egress\":false},\"secondaryIPs\":null,"
                + "\"allowedSources\":[{\"prefix\":\"10.0.0.0/8\"}],\"endpoints\":[{\"endpointIP\":\"2.2.3.4\","
                + "\"targetPort\":1920,\"weight\":1,\"state\":\"active\",\"counter\":\"\"}]}]}";

        Path file = dir.resolve("lbconfig.txt");
        FakeLoxilb.Run first = api.loxicmd("save", "-l", "-c", dir.toString());
        assertThat(first.exitCode()).isZero();
        assertThat(first.out()).isEqualTo("There is no saved config file\nLB Configuration saved in " + file + "\n");
        assertThat(Files.readString(file)).isEqualTo(saved);

        Files.writeString(file, "previous");
        FakeLoxilb.Run second = api.loxicmd("save", "--lb", "--config-path", dir + "/");
        assertThat(second.out()).isEqualTo("LB Configuration saved in " + file + "\n");
        assertThat(Files.readString(file)).isEqualTo(saved);
        assertThat(Files.readString(dir.resolve("lbconfig.txt.bk"))).isEqualTo("previous");
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "lbconfig.txt", "lbconfig.txt.bk");
        }

        api.requests.clear();
        FakeLoxilb.Run apply = api.loxicmd("apply", "-l", file.toString());
        assertThat(apply.exitCode()).isZero();
        assertThat(apply.out()).isEqualTo("Configuration applied - " + file + "\n");
        assertThat(api.requests).singleElement().satisfies(r -> {
            assertThat(r.method() + " " + r.uri()).isEqualTo("POST /netlox/v1/config/loadbalancer");
            assertThat(r.body()).isEqualTo(saved.substring("{\"lbAttr\":[".length(), saved.length() - 2)
                    .replace("\"state\":\"active\"", "\"state\":\"\""));
        });

        api.answer("POST", "/netlox/v1/config/loadbalancer", 409, "{\"code\":409,\"result\":\"lbrule-exists error\"}");
        assertThat(api.loxicmd("apply", "-l", file.toString()).exitCode()).isZero();
        api.answer("POST", "/netlox/v1/config/loadbalancer", 400, "{\"code\":400,\"result\":\"endpoints-range error\"}");
        FakeLoxilb.Run refused = api.loxicmd("apply", "-l", file.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("loxicmd: rule 1.1.1.1:1828-1830/tcp not applied: endpoints-range error\n");
    }
}
