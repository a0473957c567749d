package dev.loxiharness.loxilb.cmd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.loxilb.wire.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code loxicmd get ...}: upstream's {@code cmd/get} tables and {@code -o json} dumps. */
@Command(name = "get", description = "Get a Load balance features from LoxiLB.",
        subcommands = {GetCommand.Lb.class, GetCommand.Ep.class, GetCommand.BgpNeighbor.class,
                GetCommand.HaState.class, GetCommand.LbVersion.class})
final class GetCommand extends GroupCommand {
    static final String[] LB_TITLE =
            {"Ext IP", "Port", "Proto", "Name", "Mark", "Sel", "Mode", "# of Endpoints", "Timeout", "Monitor"};
    static final String[] LB_WIDE_TITLE = {"Ext IP", "Sec IPs", "Sources", "Host", "Port", "Proto", "Name", "Mark",
            "Sel", "Mode", "Endpoint", "EPort", "Weight", "State", "Counters"};
    /** loxicmd's headers of 2022 (c51566d), when SELECT was still the number. */
    static final String[] LB_LEGACY_TITLE = {"External IP", "Port", "Protocol", "Select", "# of Endpoints"};
    static final String[] LB_LEGACY_WIDE_TITLE =
            {"External IP", "Port", "Protocol", "Select", "Endpoint IP", "Target Port", "Weight"};
    static final String[] ENDPOINT_TITLE =
            {"Host", "Name", "ptype", "port", "duration", "retries", "minDelay", "avgDelay", "maxDelay", "State"};
    static final String[] BGPNEIGHBOR_TITLE = {"Peer", "AS", "UP/Down", "State"};
    static final String[] HASTATE_TITLE = {"Instance", "HAState"};
    static final String[] LBVERSION_TITLE = {"LoxiLB Version", "LoxiLB Build Info"};

    static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new LoxicmdMain.Failure(1, "loxicmd: cannot parse the API's answer: " + e.getOriginalMessage());
        }
    }

    /** The array under {@code key}, or {@code null} when absent or null (Go's nil slice). */
    static List<JsonNode> list(JsonNode top, String key) {
        JsonNode v = LoxiApi.field(top, key);
        if (v == null || v.isNull()) {
            return null;
        }
        List<JsonNode> items = new ArrayList<>();
        v.forEach(items::add);
        return items;
    }

    static void printJson(LoxicmdMain root, Object value) {
        root.out.print(GoJson.indented(value) + "\n");
    }

    static Map<String, Object> wrap(String key, List<JsonNode> items, Function<JsonNode, Object> mapper) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put(key, items == null ? null : items.stream().map(mapper).toList());
        return top;
    }

    /**
     * A {@code get} of the list under {@code key} at {@code path}: with {@code -o json} each item as
     * {@link #json} makes it (a null list stays null); else a table of {@link #row}s sorted by
     * {@code order}, under {@code title} when there are rows or {@code titleWhenEmpty}.
     */
    abstract static class ListCommand extends Subcommand {
        private final String path;
        private final String key;
        private final Comparator<JsonNode> order;
        private final String[] title;
        private final boolean titleWhenEmpty;

        ListCommand(String path, String key, Comparator<JsonNode> order, String[] title, boolean titleWhenEmpty) {
            this.path = path;
            this.key = key;
            this.order = order;
            this.title = title;
            this.titleWhenEmpty = titleWhenEmpty;
        }

        abstract Map<String, Object> json(JsonNode item);

        abstract String[] row(JsonNode item);

        @Override
        final int run(LoxicmdMain root) {
            List<JsonNode> items = list(parse(root.getOk(path)), key);
            if (root.output.equals("json")) {
                printJson(root, wrap(key, items, this::json));
                return 0;
            }
            List<JsonNode> rows = new ArrayList<>(items == null ? List.of() : items);
            rows.sort(order);
            TableWriter t = new TableWriter();
            if (titleWhenEmpty || !rows.isEmpty()) {
                t.header(title);
            }
            for (JsonNode item : rows) {
                t.row(row(item));
            }
            root.out.print(t.render());
            return 0;
        }
    }

    @Command(name = "loadbalancer", aliases = {"lb", "loadbalancers", "lbs"}, description = "Get a LoadBalancer")
    static final class Lb extends Subcommand {
        @Option(names = "--servName", description = "Name for load balancer rule")
        String serviceName = "";
        @Option(names = "--legacy", description = "Print the 2022 table (External IP, Port, Protocol, Select, ...)")
        boolean legacy;

        @Override
        int run(LoxicmdMain root) {
            String body = root.getOk("config/loadbalancer/all");
            List<LbModel> rules;
            try {
                rules = LbModel.parseList(body, "lbAttr");
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new LoxicmdMain.Failure(1, "loxicmd: cannot parse the API's answer: " + e.getMessage());
            }
            if (root.output.equals("json")) {
                // As upstream: every rule, in the API's order, snat rules and --servName ignored.
                printJson(root, LbModel.listJson(rules));
                return 0;
            }
            List<LbModel> shown = new ArrayList<>(rules == null ? List.of() : rules);
            shown.sort(Comparator.comparing(LbModel::sortKey));
            shown.removeIf(r -> (!serviceName.isEmpty() && !serviceName.equals(r.name)) || r.snat);
            root.out.print(render(shown, root.output.equals("wide"), legacy));
            return 0;
        }

        static String render(List<LbModel> rules, boolean wide, boolean legacy) {
            TableWriter t = new TableWriter();
            if (!rules.isEmpty()) {
                t.header(legacy ? (wide ? LB_LEGACY_WIDE_TITLE : LB_LEGACY_TITLE) : (wide ? LB_WIDE_TITLE : LB_TITLE));
            }
            for (LbModel r : rules) {
                List<LbModel.Endpoint> eps = r.endpoints == null ? List.of() : r.endpoints;
                if (legacy && wide) {
                    for (int i = 0; i < eps.size(); i++) {
                        LbModel.Endpoint ep = eps.get(i);
                        String[] svc = i == 0
                                ? new String[] {r.externalIP, Long.toString(r.port), r.protocol, Long.toString(r.sel)}
                                : new String[] {"", "", "", ""};
                        t.row(concat(svc, ep.endpointIP, Long.toString(ep.targetPort), Long.toString(ep.weight)));
                    }
                } else if (legacy) {
                    t.row(r.externalIP, Long.toString(r.port), r.protocol, Long.toString(r.sel),
                            Integer.toString(eps.size()));
                } else if (wide) {
                    String secIps = r.secondaryIPs == null ? "" : String.join(", ", r.secondaryIPs);
                    String sources = r.allowedSources == null ? "" : String.join(", ", r.allowedSources);
                    for (int i = 0; i < eps.size(); i++) {
                        LbModel.Endpoint ep = eps.get(i);
                        String[] svc = i == 0
                                ? new String[] {r.externalIP, secIps, sources, r.host, r.portText(), r.protocolText(),
                                        r.name, Long.toString(r.block), r.selectText(), r.modeText()}
                                : new String[] {"", "", "", "", "", "", "", "", "", ""};
                        t.row(concat(svc, ep.endpointIP, Long.toString(ep.targetPort), Long.toString(ep.weight),
                                r.monitor ? ep.state : "-", ep.counter));
                    }
                } else {
                    t.row(r.externalIP, r.portText(), r.protocolText(), r.name, Long.toString(r.block),
                            r.selectText(), r.modeText(), Integer.toString(eps.size()),
                            Long.toString(r.inactiveTimeOut), r.monitor ? "On" : "Off");
                }
            }
            return t.render();
        }

        private static String[] concat(String[] head, String... tail) {
            String[] all = new String[head.length + tail.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(tail, 0, all, head.length, tail.length);
            return all;
        }
    }

    @Command(name = "endpoint", aliases = {"ep", "endpoints"}, description = "Get endpoints")
    static final class Ep extends ListCommand {
        Ep() {
            super("config/endpoint/all", "Attr", Comparator.comparing(ep -> String.format("%s|%05d|%s|%s",
                    LoxiApi.text(ep, "hostName"), LoxiApi.number(ep, "probePort"), LoxiApi.text(ep, "probeType"),
                    LoxiApi.text(ep, "name"))), ENDPOINT_TITLE, false);
        }

        /** An endpoint's configuration and its probe's state (fields of the same names). */
        @Override
        Map<String, Object> json(JsonNode ep) {
            Map<String, Object> m = endpointConfig(ep);
            for (String state : List.of("minDelay", "avgDelay", "maxDelay", "currState")) {
                m.put(state, LoxiApi.text(ep, state));
            }
            return m;
        }

        @Override
        String[] row(JsonNode ep) {
            return new String[] {LoxiApi.text(ep, "hostName"), LoxiApi.text(ep, "name"),
                LoxiApi.text(ep, "probeType") + ":" + LoxiApi.text(ep, "probeReq"),
                Long.toString(LoxiApi.number(ep, "probePort")),
                Long.toString(LoxiApi.number(ep, "probeDuration")),
                Long.toString(LoxiApi.number(ep, "inactiveReTries")),
                LoxiApi.text(ep, "minDelay"), LoxiApi.text(ep, "avgDelay"), LoxiApi.text(ep, "maxDelay"),
                LoxiApi.text(ep, "currState")};
        }
    }

    @Command(name = "bgpneighbor", aliases = {"bgpnei", "bgpneigh"}, description = "Get a BGP neighbor")
    static final class BgpNeighbor extends ListCommand {
        BgpNeighbor() {
            super("config/bgp/neigh/all", "bgpNeiAttr", Comparator.comparing(n -> LoxiApi.text(n, "ipAddress") + "|"
                    + LoxiApi.text(n, "state") + "|" + LoxiApi.text(n, "updowntime")), BGPNEIGHBOR_TITLE, false);
        }

        @Override
        Map<String, Object> json(JsonNode n) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ipAddress", LoxiApi.text(n, "ipAddress"));
            m.put("state", LoxiApi.text(n, "state"));
            m.put("remoteAs", LoxiApi.number(n, "remoteAs"));
            m.put("updowntime", LoxiApi.text(n, "updowntime"));
            return m;
        }

        @Override
        String[] row(JsonNode n) {
            return new String[] {LoxiApi.text(n, "ipAddress"), Long.toString(LoxiApi.number(n, "remoteAs")),
                LoxiApi.text(n, "updowntime"), LoxiApi.text(n, "state")};
        }
    }

    @Command(name = "hastate", aliases = {"ha", "HAstate"}, description = "Get a HA state")
    static final class HaState extends ListCommand {
        HaState() {
            // Upstream sets the header even when there is no instance.
            super("config/cistate/all", "Attr", Comparator.comparing(s -> LoxiApi.text(s, "instance")), HASTATE_TITLE,
                    true);
        }

        @Override
        Map<String, Object> json(JsonNode s) {
            Map<String, Object> m = new LinkedHashMap<>();
            putIfNotEmpty(m, "instance", LoxiApi.text(s, "instance"));
            putIfNotEmpty(m, "state", LoxiApi.text(s, "state"));
            JsonNode sync = LoxiApi.field(s, "sync");
            m.put("sync", sync == null || sync.isNull() ? null : sync.asLong());
            putIfNotEmpty(m, "vip", LoxiApi.text(s, "vip"));
            return m;
        }

        @Override
        String[] row(JsonNode s) {
            return new String[] {LoxiApi.text(s, "instance"), LoxiApi.text(s, "state")};
        }

        private static void putIfNotEmpty(Map<String, Object> m, String key, String value) {
            if (!value.isEmpty()) {
                m.put(key, value);
            }
        }
    }

    @Command(name = "lbversion", aliases = {"LBversion", "LBVersion", "llbversion"},
            description = "Get a loxilb version")
    static final class LbVersion extends Subcommand {
        @Override
        int run(LoxicmdMain root) {
            JsonNode v = parse(root.getOk("version"));
            if (root.output.equals("json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("buildInfo", LoxiApi.text(v, "buildInfo"));
                m.put("version", LoxiApi.text(v, "version"));
                printJson(root, m);
                return 0;
            }
            root.out.print(new TableWriter().header(LBVERSION_TITLE)
                    .row(LoxiApi.text(v, "version"), LoxiApi.text(v, "buildInfo")).render());
            return 0;
        }
    }

    /** An endpoint's configuration as upstream's EndPointMod orders it (get ep -o json, save). */
    static Map<String, Object> endpointConfig(JsonNode ep) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostName", LoxiApi.text(ep, "hostName"));
        m.put("name", LoxiApi.text(ep, "name"));
        m.put("inactiveReTries", LoxiApi.number(ep, "inactiveReTries"));
        m.put("probeType", LoxiApi.text(ep, "probeType"));
        m.put("probeReq", LoxiApi.text(ep, "probeReq"));
        m.put("probeResp", LoxiApi.text(ep, "probeResp"));
        m.put("probeDuration", LoxiApi.number(ep, "probeDuration"));
        m.put("probePort", LoxiApi.number(ep, "probePort"));
        return m;
    }
}
