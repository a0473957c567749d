package dev.loxiharness.harness.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One line of {@code birdc show protocols}: e.g. {@code Global_192_168_57_4 BGP --- up 17:16:56.145 Established}. */
public record BirdProtocol(String name, String proto, String table, String state, String since, String info) {
    private static final Pattern PEER = Pattern.compile("_(\\d+)_(\\d+)_(\\d+)_(\\d+)$");

    /**
     * The peer address of a BGP protocol, from the harness's naming ({@code Mesh_192_168_57_102},
     * {@code Global_192_168_57_4}, {@code Peer_192_168_20_4}); empty for other protocols.
     */
    public String peer() {
        Matcher m = PEER.matcher(name);
        return m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) + "." + m.group(4) : "";
    }

    public boolean established() {
        return "BGP".equals(proto) && info.startsWith("Established");
    }

    public static List<BirdProtocol> parse(String showProtocols) {
        List<BirdProtocol> out = new ArrayList<>();
        for (String line : showProtocols.lines().toList()) {
            String[] f = line.trim().split("\\s+", 6);
            if (f.length < 5 || line.startsWith("BIRD ") || (f[0].equals("Name") && f[1].equals("Proto"))) {
                continue;
            }
            String since = f[4];
            String info = f.length > 5 ? f[5].trim() : "";
            if (since.matches("\\d{4}-\\d{2}-\\d{2}") && !info.isEmpty()) {
                // an older date is printed as "YYYY-MM-DD hh:mm:ss"
                String[] rest = info.split("\\s+", 2);
                since = since + " " + rest[0];
                info = rest.length > 1 ? rest[1].trim() : "";
            }
            out.add(new BirdProtocol(f[0], f[1], f[2], f[3], since, info));
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + proto + " " + state + " " + info;
    }
}
