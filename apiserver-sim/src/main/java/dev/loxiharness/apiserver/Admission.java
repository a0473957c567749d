package dev.loxiharness.apiserver;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the real API server's registry strategies and allocators do to an object before it is
 * stored, for the kinds where clients depend on it: a Service gets its ClusterIP from the service
 * CIDR and NodePorts from the node port range (both kept across updates, duplicates refused with
 * 422), plus the defaults kube-proxy and load-balancer controllers read; a new Pod starts Pending;
 * a Namespace is Active; a CRD is Established; a Secret's stringData moves into data.
 */
record Admission(Ipv4Cidr serviceCidr, int nodePortMin, int nodePortMax) {

    /**
     * Mutates {@code object} in place. {@code old} is the stored object on update, null on create;
     * {@code otherServices} gives every other stored Service (read only, for Services), asked for only
     * when an address or a port is to be allocated or checked: an update that keeps them (every status
     * write) does not walk a thousand Services.
     */
    void admit(ApiResource resource, ObjectNode old, ObjectNode object, Supplier<List<ObjectNode>> otherServices) {
        if (!resource.builtIn()) {
            return;
        }
        switch (resource.kind()) {
            case "Service" -> admitService(resource, old, object, otherServices);
            case "Pod" -> {
                if (old == null) {
                    object.putObject("status").put("phase", "Pending");
                }
            }
            case "Namespace" -> {
                Json.child(Json.metadata(object), "labels")
                        .put("kubernetes.io/metadata.name", Json.text(object, "metadata", "name"));
                if (Json.text(object, "status", "phase") == null) {
                    Json.child(object, "status").put("phase", "Active");
                }
            }
            case "CustomResourceDefinition" -> establish(object);
            case "Secret" -> mergeStringData(object);
            default -> {
            }
        }
    }

    private void admitService(ApiResource resource, ObjectNode old, ObjectNode service, Supplier<List<ObjectNode>> otherServices) {
        // asked for by the cluster IP and the node ports alike: gathered once per write, if at all
        Supplier<List<ObjectNode>> others = once(otherServices);
        String name = Json.text(service, "metadata", "name");
        ObjectNode spec = Json.child(service, "spec");
        if (old == null) {
            service.putObject("status").putObject("loadBalancer");
        }
        String type = defaulted(spec, "type", "ClusterIP");
        defaulted(spec, "sessionAffinity", "None");
        JsonNode ports = spec.path("ports");
        for (JsonNode port : ports) {
            if (port instanceof ObjectNode p) {
                defaulted(p, "protocol", "TCP");
                if (!p.has("targetPort") && p.has("port")) {
                    p.set("targetPort", p.get("port"));
                }
            }
        }
        if (type.equals("ExternalName")) {
            spec.remove(List.of("clusterIP", "clusterIPs"));
            return;
        }
        defaulted(spec, "internalTrafficPolicy", "Cluster");
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            defaulted(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer") && !spec.has("allocateLoadBalancerNodePorts")) {
            spec.put("allocateLoadBalancerNodePorts", true);
        }
        assignClusterIp(resource, name, old == null ? null : (ObjectNode) old.path("spec"), spec, others);
        boolean wantsNodePorts = type.equals("NodePort")
                || type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true);
        assignNodePorts(resource, name, old == null ? null : old.path("spec").path("ports"), spec, type, wantsNodePorts,
                others);
    }

    private void assignClusterIp(ApiResource resource, String name, ObjectNode oldSpec, ObjectNode spec,
            Supplier<List<ObjectNode>> others) {
        String oldIp = oldSpec == null ? null : Json.text(oldSpec, "clusterIP");
        String ip = Json.text(spec, "clusterIP");
        if (ip == null || ip.isEmpty()) {
            ip = oldIp != null ? oldIp : allocateClusterIp(others.get());
        } else if (oldIp != null && !oldIp.equals(ip)) {
            throw ApiException.invalid(resource, name, "spec.clusterIPs[0]", ip, "field is immutable");
        } else if (oldIp == null && !ip.equals("None")) {
            if (!serviceCidr.contains(ip)) {
                throw ApiException.invalid(resource, name, "spec.clusterIPs", ip,
                        "failed to allocate IP " + ip + ": provided IP is not in the valid range. The range of valid IPs is "
                                + serviceCidr);
            }
            if (clusterIps(others.get()).contains(ip)) {
                throw ApiException.invalid(resource, name, "spec.clusterIPs", ip,
                        "failed to allocate IP " + ip + ": provided IP is already allocated");
            }
        }
        spec.put("clusterIP", ip);
        spec.putArray("clusterIPs").add(ip);
        if (!spec.has("ipFamilies")) {
            spec.putArray("ipFamilies").add("IPv4");
        }
        defaulted(spec, "ipFamilyPolicy", "SingleStack");
    }

    private String allocateClusterIp(List<ObjectNode> others) {
        Set<String> used = clusterIps(others);
        // .1 is the kubernetes Service's, as on a real cluster; the rest are handed out in order.
        for (long i = 2; i < serviceCidr.size() - 1; i++) {
            String candidate = serviceCidr.address(i);
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
        throw ApiException.internal("failed to allocate a serviceIP: range is full");
    }

    private static Set<String> clusterIps(List<ObjectNode> services) {
        Set<String> ips = new HashSet<>();
        services.forEach(s -> {
            String ip = Json.text(s, "spec", "clusterIP");
            if (ip != null) {
                ips.add(ip);
            }
        });
        return ips;
    }

    private void assignNodePorts(ApiResource resource, String name, JsonNode oldPorts, ObjectNode spec, String type,
            boolean wantsNodePorts, Supplier<List<ObjectNode>> others) {
        Supplier<Set<Integer>> usedByOthers = once(() -> {
            Set<Integer> used = new HashSet<>();
            others.get().forEach(s -> s.path("spec").path("ports").forEach(p -> used.add(p.path("nodePort").asInt(0))));
            return used;
        });
        Set<Integer> mine = new HashSet<>();
        JsonNode ports = spec.path("ports");
        for (int i = 0; i < ports.size(); i++) {
            if (!(ports.get(i) instanceof ObjectNode port)) {
                continue;
            }
            if (type.equals("ClusterIP")) {
                port.remove("nodePort"); // released when a Service goes back to ClusterIP, as the real server does
                continue;
            }
            int nodePort = port.path("nodePort").asInt(0);
            int previous = oldPorts == null ? 0 : previousNodePort(oldPorts, port);
            if (nodePort == 0) {
                nodePort = previous;
            }
            if (nodePort == 0 && !wantsNodePorts) {
                continue;
            }
            String field = "spec.ports[" + i + "].nodePort";
            if (nodePort == 0) {
                nodePort = allocateNodePort(usedByOthers.get(), mine);
            } else if (nodePort < nodePortMin || nodePort > nodePortMax) {
                throw ApiException.invalid(resource, name, field, nodePort,
                        "provided port is not in the valid range. The range of valid ports is " + nodePortMin + "-" + nodePortMax);
            } else if (mine.contains(nodePort) || nodePort != previous && usedByOthers.get().contains(nodePort)) {
                throw ApiException.invalid(resource, name, field, nodePort, "provided port is already allocated");
            }
            mine.add(nodePort);
            port.put("nodePort", nodePort);
        }
    }

    /** An update that leaves nodePort out keeps the one allocated before for the same port and protocol. */
    private static int previousNodePort(JsonNode oldPorts, ObjectNode port) {
        for (JsonNode old : oldPorts) {
            if (old.path("port").equals(port.path("port")) && old.path("protocol").equals(port.path("protocol"))) {
                return old.path("nodePort").asInt(0);
            }
        }
        return 0;
    }

    /** {@code value}'s result, computed on first use only. */
    private static <T> Supplier<T> once(Supplier<T> value) {
        return new Supplier<>() {
            private T result;

            @Override
            public T get() {
                if (result == null) {
                    result = value.get();
                }
                return result;
            }
        };
    }

    private int allocateNodePort(Set<Integer> used, Set<Integer> mine) {
        for (int candidate = nodePortMin; candidate <= nodePortMax; candidate++) {
            if (!used.contains(candidate) && !mine.contains(candidate)) {
                return candidate;
            }
        }
        throw ApiException.internal("failed to allocate a nodePort: range is full");
    }

    private static void establish(ObjectNode crd) {
        ObjectNode status = crd.putObject("status");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        ArrayNode conditions = status.putArray("conditions");
        String now = Json.now();
        conditions.addObject().put("type", "NamesAccepted").put("status", "True").put("reason", "NoConflicts")
                .put("message", "no conflicts found").put("lastTransitionTime", now);
        conditions.addObject().put("type", "Established").put("status", "True").put("reason", "InitialNamesAccepted")
                .put("message", "the initial names have been accepted").put("lastTransitionTime", now);
        ArrayNode stored = status.putArray("storedVersions");
        crd.path("spec").path("versions").forEach(v -> {
            if (v.path("storage").asBoolean(false)) {
                stored.add(v.path("name").asString());
            }
        });
    }

    /** stringData is write-only: the real server folds it into data (base64) before storing. */
    private static void mergeStringData(ObjectNode secret) {
        if (secret.remove("stringData") instanceof ObjectNode plain) {
            ObjectNode data = Json.child(secret, "data");
            plain.properties().forEach(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asString().getBytes(StandardCharsets.UTF_8))));
        }
    }

    private static String defaulted(ObjectNode node, String field, String value) {
        String current = Json.text(node, field);
        if (current == null || current.isEmpty()) {
            node.put(field, value);
            return value;
        }
        return current;
    }
}
