package dev.loxiharness.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The resource types served: a fixed set of built-in types plus whatever the stored
 * CustomResourceDefinitions declare, read from the store on each use so a CRD is served as soon
 * as it is created. Discovery and OpenAPI documents are derived from this single list.
 */
final class ApiResources {
    private static final List<String> ALL = List.of("all");
    static final List<ApiResource> BUILT_IN = List.of(
            ApiResource.of("v1", "pods", "Pod", true, true, List.of("po"), ALL),
            ApiResource.of("v1", "services", "Service", true, true, List.of("svc"), ALL),
            ApiResource.of("v1", "nodes", "Node", false, true, List.of("no"), List.of()),
            ApiResource.of("v1", "namespaces", "Namespace", false, true, List.of("ns"), List.of()),
            ApiResource.of("v1", "configmaps", "ConfigMap", true, false, List.of("cm"), List.of()),
            ApiResource.of("v1", "secrets", "Secret", true, false, List.of(), List.of()),
            ApiResource.of("v1", "serviceaccounts", "ServiceAccount", true, false, List.of("sa"), List.of()),
            ApiResource.of("v1", "endpoints", "Endpoints", true, false, List.of("ep"), List.of()),
            ApiResource.of("v1", "events", "Event", true, false, List.of("ev"), List.of()),
            ApiResource.of("discovery.k8s.io/v1", "endpointslices", "EndpointSlice", true, false, List.of(), List.of()),
            ApiResource.of("events.k8s.io/v1", "events", "Event", true, false, List.of("ev"), List.of()),
            ApiResource.of("coordination.k8s.io/v1", "leases", "Lease", true, false, List.of(), List.of()),
            ApiResource.of("apiextensions.k8s.io/v1", "customresourcedefinitions", "CustomResourceDefinition", false,
                    true, List.of("crd", "crds"), List.of()));
    static final ApiResource CRDS = BUILT_IN.get(BUILT_IN.size() - 1);
    static final ApiResource NAMESPACES = find(BUILT_IN, "", "v1", "namespaces").orElseThrow();
    static final ApiResource SERVICES = find(BUILT_IN, "", "v1", "services").orElseThrow();

    private static final List<String> VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> PATCH_TYPES =
            List.of("application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml");

    private final Supplier<List<ObjectNode>> storedCrds;

    ApiResources(Supplier<List<ObjectNode>> storedCrds) {
        this.storedCrds = storedCrds;
    }

    List<ApiResource> all() {
        List<ApiResource> all = new ArrayList<>(BUILT_IN);
        for (ObjectNode crd : storedCrds.get()) {
            all.addAll(fromCrd(crd));
        }
        return all;
    }

    Optional<ApiResource> find(String group, String version, String plural) {
        Optional<ApiResource> builtIn = find(BUILT_IN, group, version, plural);
        return builtIn.isPresent() ? builtIn : find(all(), group, version, plural);
    }

    private static Optional<ApiResource> find(List<ApiResource> in, String group, String version, String plural) {
        return in.stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
                .findFirst();
    }

    static List<ApiResource> fromCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String kind = Json.text(names, "kind");
        String plural = Json.text(names, "plural");
        if (kind == null || plural == null) {
            return List.of();
        }
        String singular = Json.text(names, "singular");
        List<ApiResource> served = new ArrayList<>();
        for (JsonNode version : spec.path("versions")) {
            if (version.path("served").asBoolean(true)) {
                served.add(new ApiResource(Json.text(spec, "group"), Json.text(version, "name"), plural,
                        singular == null ? kind.toLowerCase(Locale.ROOT) : singular, kind,
                        "Namespaced".equals(Json.text(spec, "scope")), strings(names.path("shortNames")),
                        strings(names.path("categories")), version.path("subresources").has("status"), false));
            }
        }
        return served;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    // ---- discovery (the legacy, non-aggregated form: every kubectl from 1.20 on understands it)

    ObjectNode coreVersions(String serverAddress) {
        ObjectNode versions = Json.object().put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        versions.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return versions;
    }

    ObjectNode groupList() {
        ObjectNode list = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        groupedVersions().forEach((group, versions) -> groups.add(group(group, versions)));
        return list;
    }

    /** The APIGroup document for one group, or null when no resource of that group is served. */
    ObjectNode group(String name) {
        List<String> versions = groupedVersions().get(name);
        return versions == null ? null : group(name, versions).put("kind", "APIGroup").put("apiVersion", "v1");
    }

    private static ObjectNode group(String name, List<String> versions) {
        ObjectNode group = Json.object().put("name", name);
        ArrayNode list = group.putArray("versions");
        versions.forEach(v -> list.addObject().put("groupVersion", name + "/" + v).put("version", v));
        group.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
        return group;
    }

    private Map<String, List<String>> groupedVersions() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ApiResource r : all()) {
            if (!r.group().isEmpty()) {
                List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
                if (!versions.contains(r.version())) {
                    versions.add(r.version());
                }
            }
        }
        return groups;
    }

    /** The APIResourceList of one group version, or null when nothing is served there. */
    ObjectNode resourceList(String group, String version) {
        List<ApiResource> resources = inGroupVersion(group, version);
        if (resources.isEmpty()) {
            return null;
        }
        ObjectNode list = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", resources.get(0).groupVersion());
        ArrayNode entries = list.putArray("resources");
        for (ApiResource r : resources) {
            ObjectNode entry = entries.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            VERBS.forEach(entry.putArray("verbs")::add);
            if (!r.shortNames().isEmpty()) {
                r.shortNames().forEach(entry.putArray("shortNames")::add);
            }
            if (!r.categories().isEmpty()) {
                r.categories().forEach(entry.putArray("categories")::add);
            }
            if (r.statusSubresource()) {
                ObjectNode status = entries.addObject().put("name", r.plural() + "/status").put("singularName", "")
                        .put("namespaced", r.namespaced()).put("kind", r.kind());
                List.of("get", "patch", "update").forEach(status.putArray("verbs")::add);
            }
        }
        return list;
    }

    private List<ApiResource> inGroupVersion(String group, String version) {
        return all().stream().filter(r -> r.group().equals(group) && r.version().equals(version)).toList();
    }

    // ---- OpenAPI v3: only what kubectl reads from it, i.e. that PATCH of each kind takes the
    // fieldValidation query parameter. kubectl then validates server-side instead of needing full
    // schemas, and, finding no strategic-merge-patch body listed, computes patches from its built-in types.

    ObjectNode openApiV3Root() {
        ObjectNode root = Json.object();
        ObjectNode paths = root.putObject("paths");
        for (String gvPath : groupVersionPaths()) {
            ObjectNode doc = openApiV3(gvPath);
            paths.putObject(gvPath).put("serverRelativeURL", "/openapi/v3/" + gvPath + "?hash=" + hash(Json.write(doc)));
        }
        return root;
    }

    private List<String> groupVersionPaths() {
        List<String> paths = new ArrayList<>();
        for (ApiResource r : all()) {
            String path = r.basePath().substring(1);
            if (!paths.contains(path)) {
                paths.add(path);
            }
        }
        return paths;
    }

    /** The OpenAPI v3 document of one group version ({@code api/v1}, {@code apis/g/v}), or null. */
    ObjectNode openApiV3(String gvPath) {
        String[] parts = gvPath.split("/");
        List<ApiResource> resources = parts.length == 2 && parts[0].equals("api") ? inGroupVersion("", parts[1])
                : parts.length == 3 && parts[0].equals("apis") ? inGroupVersion(parts[1], parts[2]) : List.of();
        if (resources.isEmpty()) {
            return null;
        }
        ObjectNode doc = Json.object().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes (simulated API server, netns backend)").put("version", "v1");
        ObjectNode paths = doc.putObject("paths");
        for (ApiResource r : resources) {
            String path = r.basePath() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
            ObjectNode patch = paths.putObject(path).putObject("patch").put("operationId", "patch" + r.kind())
                    .put("x-kubernetes-action", "patch");
            patch.putObject("x-kubernetes-group-version-kind").put("group", r.group()).put("version", r.version())
                    .put("kind", r.kind());
            ArrayNode parameters = patch.putArray("parameters");
            for (String name : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
                parameters.addObject().put("name", name).put("in", "query").putObject("schema").put("type", "string");
            }
            ObjectNode content = patch.putObject("requestBody").putObject("content");
            PATCH_TYPES.forEach(type -> content.putObject(type).putObject("schema").put("type", "object"));
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
        doc.putObject("components").putObject("schemas");
        return doc;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
