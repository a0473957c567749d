package dev.loxiharness.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Server-side printing: kubectl asks for {@code as=Table} and prints the cells it gets, so the
 * columns of {@code kubectl get} (EXTERNAL-IP, PORT(S), READY...) come from here. Columns follow
 * the real server's printers for Service, Pod, Node and Namespace; every other kind gets NAME AGE.
 * Columns of priority 1 are the ones kubectl shows only with {@code -o wide}.
 */
final class Tables {
    private record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {
    }

    private static final Column NAME = new Column("Name", "string", 0, o -> Json.text(o, "metadata", "name"));
    private static final Column AGE = new Column("Age", "string", 0, Tables::age);

    private static final Map<String, List<Column>> BY_KIND = Map.of(
            "Service", List.of(NAME,
                    new Column("Type", "string", 0, o -> Json.text(o, "spec", "type")),
                    new Column("Cluster-IP", "string", 0, o -> orNone(Json.text(o, "spec", "clusterIP"))),
                    new Column("External-IP", "string", 0, Tables::serviceExternalIp),
                    new Column("Port(s)", "string", 0, Tables::servicePorts), AGE,
                    new Column("Selector", "string", 1, o -> labels(o.path("spec").path("selector")))),
            "Pod", List.of(NAME,
                    new Column("Ready", "string", 0, Tables::podReady),
                    new Column("Status", "string", 0, Tables::podStatus),
                    new Column("Restarts", "integer", 0, Tables::podRestarts), AGE,
                    new Column("IP", "string", 1, o -> orNone(Json.text(o, "status", "podIP"))),
                    new Column("Node", "string", 1, o -> orNone(Json.text(o, "spec", "nodeName"))),
                    new Column("Nominated Node", "string", 1, o -> orNone(Json.text(o, "status", "nominatedNodeName"))),
                    new Column("Readiness Gates", "string", 1, o -> "<none>")),
            "Node", List.of(NAME,
                    new Column("Status", "string", 0, Tables::nodeStatus),
                    new Column("Roles", "string", 0, Tables::nodeRoles), AGE,
                    new Column("Version", "string", 0, o -> orEmpty(Json.text(o, "status", "nodeInfo", "kubeletVersion"))),
                    new Column("Internal-IP", "string", 1, o -> nodeAddress(o, "InternalIP")),
                    new Column("External-IP", "string", 1, o -> nodeAddress(o, "ExternalIP")),
                    new Column("OS-Image", "string", 1, o -> orUnknown(Json.text(o, "status", "nodeInfo", "osImage"))),
                    new Column("Kernel-Version", "string", 1,
                            o -> orUnknown(Json.text(o, "status", "nodeInfo", "kernelVersion"))),
                    new Column("Container-Runtime", "string", 1,
                            o -> orUnknown(Json.text(o, "status", "nodeInfo", "containerRuntimeVersion")))),
            "Namespace", List.of(NAME, new Column("Status", "string", 0, o -> Json.text(o, "status", "phase")), AGE));

    private Tables() {
    }

    static boolean requested(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /** A meta.k8s.io/v1 Table of objects; includeObject is the request's None, Object or (default) Metadata. */
    static ObjectNode table(ApiResource resource, List<? extends JsonNode> objects, String resourceVersion,
            String includeObject) {
        List<Column> columns = BY_KIND.getOrDefault(resource.builtIn() ? resource.kind() : "", List.of(NAME, AGE));
        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", resourceVersion);
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column column : columns) {
            definitions.addObject().put("name", column.name()).put("type", column.type())
                    .put("format", column == NAME ? "name" : "").put("description", "").put("priority", column.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (JsonNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column column : columns) {
                Object value = column.cell().apply(object);
                if (value instanceof Integer number) {
                    cells.add(number);
                } else {
                    cells.add(value == null ? "" : value.toString());
                }
            }
            if ("Object".equals(includeObject)) {
                row.set("object", object);
            } else if (!"None".equals(includeObject)) {
                row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1")
                        .set("metadata", object.path("metadata"));
            }
        }
        return table;
    }

    private static String serviceExternalIp(JsonNode service) {
        JsonNode spec = service.path("spec");
        List<String> external = new ArrayList<>();
        spec.path("externalIPs").forEach(ip -> external.add(ip.asString()));
        switch (orEmpty(Json.text(spec, "type"))) {
            case "LoadBalancer" -> {
                TreeSet<String> ingress = new TreeSet<>();
                for (JsonNode entry : service.path("status").path("loadBalancer").path("ingress")) {
                    String address = Json.text(entry, "ip") != null ? Json.text(entry, "ip") : Json.text(entry, "hostname");
                    if (address != null && !address.isEmpty()) {
                        ingress.add(address);
                    }
                }
                List<String> all = new ArrayList<>(ingress);
                all.addAll(external);
                return all.isEmpty() ? "<pending>" : String.join(",", all);
            }
            case "ExternalName" -> {
                return Json.text(spec, "externalName");
            }
            default -> {
                return external.isEmpty() ? "<none>" : String.join(",", external);
            }
        }
    }

    private static String servicePorts(JsonNode service) {
        List<String> ports = new ArrayList<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            int nodePort = port.path("nodePort").asInt(0);
            ports.add(port.path("port").asInt() + (nodePort > 0 ? ":" + nodePort : "") + "/"
                    + port.path("protocol").asString("TCP"));
        }
        return ports.isEmpty() ? "<none>" : String.join(",", ports);
    }

    private static String podReady(JsonNode pod) {
        int ready = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            ready += status.path("ready").asBoolean(false) ? 1 : 0;
        }
        return ready + "/" + pod.path("spec").path("containers").size();
    }

    private static String podStatus(JsonNode pod) {
        if (Json.text(pod, "metadata", "deletionTimestamp") != null) {
            return "Terminating";
        }
        String reason = Json.text(pod, "status", "reason");
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            String waiting = Json.text(status, "state", "waiting", "reason");
            String terminated = Json.text(status, "state", "terminated", "reason");
            if (waiting != null && !waiting.isEmpty()) {
                reason = waiting;
            } else if (terminated != null && !terminated.isEmpty()) {
                reason = terminated;
            }
        }
        String phase = Json.text(pod, "status", "phase");
        return reason != null ? reason : phase != null ? phase : "Pending";
    }

    private static Object podRestarts(JsonNode pod) {
        int restarts = 0;
        for (JsonNode status : pod.path("status").path("containerStatuses")) {
            restarts += status.path("restartCount").asInt(0);
        }
        return restarts;
    }

    private static String nodeStatus(JsonNode node) {
        String status = "Unknown";
        for (JsonNode condition : node.path("status").path("conditions")) {
            if ("Ready".equals(Json.text(condition, "type"))) {
                status = "True".equals(Json.text(condition, "status")) ? "Ready" : "NotReady";
            }
        }
        return node.path("spec").path("unschedulable").asBoolean(false) ? status + ",SchedulingDisabled" : status;
    }

    private static String nodeRoles(JsonNode node) {
        TreeSet<String> roles = new TreeSet<>();
        node.path("metadata").path("labels").properties().forEach(label -> {
            if (label.getKey().startsWith("node-role.kubernetes.io/")) {
                roles.add(label.getKey().substring("node-role.kubernetes.io/".length()));
            } else if (label.getKey().equals("kubernetes.io/role")) {
                roles.add(label.getValue().asString());
            }
        });
        roles.remove("");
        return roles.isEmpty() ? "<none>" : String.join(",", roles);
    }

    private static String nodeAddress(JsonNode node, String type) {
        for (JsonNode address : node.path("status").path("addresses")) {
            if (type.equals(Json.text(address, "type"))) {
                return Json.text(address, "address");
            }
        }
        return "<none>";
    }

    private static String labels(JsonNode map) {
        List<String> pairs = new ArrayList<>();
        map.properties().forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asString()));
        return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
    }

    private static String age(JsonNode object) {
        String created = Json.text(object, "metadata", "creationTimestamp");
        if (created == null) {
            return "<unknown>";
        }
        try {
            return humanDuration(Duration.between(Instant.parse(created), Instant.now()));
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
    }

    /** The real server's duration.HumanDuration, so AGE reads as on a real cluster (5s, 3m2s, 4h10m, 2d3h). */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        } else if (minutes < 180) {
            return minutes + "m";
        }
        long hours = minutes / 60;
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long days = hours / 24 % 365;
            return days == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + days + "d";
        }
        return hours / 24 / 365 + "y";
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? "<none>" : value;
    }

    private static String orUnknown(String value) {
        return value == null || value.isEmpty() ? "<unknown>" : value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
