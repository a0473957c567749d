package dev.loxiharness.harness.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parsers, on output captured from the seed topology (gobgp 3.10, BIRD 2.0.12, iproute2 6.1). */
class ProbeParsingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void gobgpNeighborJson() throws Exception {
        JsonNode j = json("""
                [{"conf":{"local_asn":65002,"neighbor_address":"192.168.57.101","peer_asn":64512,"type":1},
                  "state":{"neighbor_address":"192.168.57.101","peer_asn":64512,"session_state":6},
                  "afi_safis":[{"state":{"family":{"afi":1,"safi":1},"received":4,"accepted":4}}]},
                 {"conf":{"neighbor_address":"192.168.20.55","peer_asn":64001},"state":{"session_state":3}}]""");
        assertThat(BgpNeighbor.parse(j)).extracting(BgpNeighbor::address, BgpNeighbor::peerAs, BgpNeighbor::state,
                        BgpNeighbor::received, BgpNeighbor::established)
                .containsExactly(tuple("192.168.57.101", 64512L, "ESTABLISHED", 4L, true),
                        tuple("192.168.20.55", 64001L, "ACTIVE", 0L, false));
    }

    @Test
    void gobgpRibJson() throws Exception {
        JsonNode j = json("""
                {"10.233.71.0/26":[{"nlri":{"prefix":"10.233.71.0/26"},"best":true,
                   "attrs":[{"type":1,"value":0},{"type":2,"as_paths":[{"segment_type":2,"num":1,"asns":[64512]}]},
                            {"type":3,"nexthop":"192.168.57.101"}],"neighbor-ip":"192.168.57.101"}],
                 "123.123.123.15/32":[{"nlri":{"prefix":"123.123.123.15/32"},"best":true,
                   "attrs":[{"type":1,"value":0},{"type":2,"as_paths":[{"segment_type":1,"num":1,"asns":[65002]}]},
                            {"type":3,"nexthop":"0.0.0.0"}]}]}""");
        Map<String, List<BgpPath>> rib = BgpPath.parse(j);
        assertThat(BgpPath.best(rib)).extracting(BgpPath::prefix, BgpPath::nextHop, BgpPath::asPath, BgpPath::asns,
                        BgpPath::origin, BgpPath::neighbor)
                .containsExactly(tuple("10.233.71.0/26", "192.168.57.101", "64512", List.of(64512L), "i", "192.168.57.101"),
                        tuple("123.123.123.15/32", "0.0.0.0", "{65002}", List.of(65002L), "i", ""));
    }

    @Test
    void birdcShowProtocols() {
        String out = """
                BIRD 2.0.12 ready.
                Name       Proto      Table      State  Since         Info
                device1    Device     ---        up     17:16:51.515
                kernel1    Kernel     master4    up     17:16:51.515
                Mesh_192_168_57_102 BGP        ---        up     17:16:52.472  Established
                Global_192_168_57_4 BGP        ---        start  2026-11-24 17:16:56  Active        Socket: Connection refused
                """;
        assertThat(BirdProtocol.parse(out)).extracting(BirdProtocol::name, BirdProtocol::peer, BirdProtocol::state,
                        BirdProtocol::since, BirdProtocol::info, BirdProtocol::established)
                .containsExactly(tuple("device1", "", "up", "17:16:51.515", "", false),
                        tuple("kernel1", "", "up", "17:16:51.515", "", false),
                        tuple("Mesh_192_168_57_102", "192.168.57.102", "up", "17:16:52.472", "Established", true),
                        tuple("Global_192_168_57_4", "192.168.57.4", "start", "2026-11-24 17:16:56",
                                "Active        Socket: Connection refused", false));
    }

    @Test
    void ipRouteJson() throws Exception {
        JsonNode j = json("""
                [{"dst":"123.123.123.15","gateway":"192.168.20.4","dev":"eth0","protocol":"bird","metric":32,"flags":[]},
                 {"dst":"198.51.100.0/24","dev":"eth1","protocol":"kernel","scope":"link","prefsrc":"198.51.100.1","flags":[]},
                 {"dst":"10.0.0.0/8","nexthops":[{"gateway":"192.168.57.101","dev":"eth1"},{"gateway":"192.168.57.102","dev":"eth1"}],"flags":[]}]""");
        assertThat(Route.parse(j)).extracting(Route::dst, Route::gateway, Route::dev, Route::protocol)
                .containsExactly(tuple("123.123.123.15", "192.168.20.4", "eth0", "bird"),
                        tuple("198.51.100.0/24", "", "eth1", "kernel"),
                        tuple("10.0.0.0/8", "192.168.57.101,192.168.57.102", "", "boot"));
    }
}
