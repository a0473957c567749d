package dev.loxiharness.harness.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One neighbour of {@code gobgp neighbor -j}: its address, AS and session state. */
public record BgpNeighbor(String address, long peerAs, String state, long received, long accepted) {
    /** GoBGP's {@code PeerState.SessionState} numbers. */
    private static final List<String> STATES = List.of("UNKNOWN", "IDLE", "CONNECT", "ACTIVE", "OPENSENT", "OPENCONFIRM",
            "ESTABLISHED");

    public boolean established() {
        return "ESTABLISHED".equals(state);
    }

    public static List<BgpNeighbor> parse(JsonNode neighbors) {
        List<BgpNeighbor> out = new ArrayList<>();
        for (JsonNode n : neighbors) {
            JsonNode st = n.path("state");
            JsonNode s = st.path("session_state");
            String state = s.isInt() && s.asInt() >= 0 && s.asInt() < STATES.size() ? STATES.get(s.asInt())
                    : s.asText("UNKNOWN").toUpperCase();
            long received = 0;
            long accepted = 0;
            for (JsonNode afi : n.path("afi_safis")) {
                received += afi.path("state").path("received").asLong();
                accepted += afi.path("state").path("accepted").asLong();
            }
            out.add(new BgpNeighbor(n.path("conf").path("neighbor_address").asText(st.path("neighbor_address").asText()),
                    n.path("conf").path("peer_asn").asLong(st.path("peer_asn").asLong()), state, received, accepted));
        }
        return out;
    }

    @Override
    public String toString() {
        return address + " AS" + peerAs + " " + state;
    }
}
