package dev.loxiharness.apiserver;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The front end that makes the {@link CrudStore} answer like a real API server: discovery, OpenAPI,
 * version, Table output, selectors, watch over chunked HTTP as well as WebSocket, merge, strategic
 * and apply patches, admission, and Status bodies.
 */
final class ApiFrontEnd implements Handler<HttpServerRequest> {
    private static final String JSON = "application/json";
    private static final String TABLE_JSON = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** What a resource path names: a collection (name null), an object, or an object's status. */
    private record Target(ApiResource resource, String namespace, String name, boolean status) {
    }

    private record Reply(int code, String contentType, String body) {
        static Reply json(int code, JsonNode body) {
            return new Reply(code, JSON, Json.write(body));
        }
    }

    private final Vertx vertx;
    private final CrudStore store = new CrudStore();
    private final ApiResources resources =
            new ApiResources(() -> store.peek(ApiResources.CRDS, null)); // read only: no copies per request
    private final Admission admission;
    private final ObjectNode version;
    private final Consumer<String> log;
    private final Set<WatchStream> watches = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private volatile String serverAddress = "127.0.0.1:0";

    ApiFrontEnd(Vertx vertx, Admission admission, ObjectNode version, Consumer<String> log) {
        this.vertx = vertx;
        this.admission = admission;
        this.version = version;
        this.log = log;
    }

    void serverAddress(String hostAndPort) {
        this.serverAddress = hostAndPort;
    }

    /** Creates an object through admission, as a client would (used to seed a fresh cluster). */
    void create(ApiResource resource, String namespace, ObjectNode object) {
        create(resource, namespace, object, false);
    }

    // ---- HTTP

    @Override
    public void handle(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        if (upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
            watchOverWebSocket(request); // must upgrade before the request is read
            return;
        }
        request.body()
                .onSuccess(body -> respond(request, body == null ? new byte[0] : body.getBytes()))
                .onFailure(e -> send(request.response(), error(e)));
    }

    private void respond(HttpServerRequest request, byte[] body) {
        Reply reply;
        try {
            reply = route(request, body);
        } catch (RuntimeException e) {
            reply = error(e);
        }
        if (reply != null) {
            send(request.response(), reply);
        }
    }

    private Reply error(Throwable e) {
        if (e instanceof ApiException api) {
            return new Reply(api.code, JSON, api.statusBody());
        }
        log.accept("kubernetes (simulated): internal error: " + e);
        return Reply.json(500, ApiException.status(500, "InternalError", "Internal error occurred: " + e, null));
    }

    private static void send(HttpServerResponse response, Reply reply) {
        response.setStatusCode(reply.code()).putHeader("Content-Type", reply.contentType()).end(reply.body());
    }

    /** The reply, or null when the response was taken over by a watch. */
    private Reply route(HttpServerRequest request, byte[] body) {
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        Reply discovery = discovery(path);
        if (discovery != null) {
            if (request.method() != HttpMethod.GET) {
                throw ApiException.methodNotAllowed();
            }
            return discovery;
        }
        Target target = target(path);
        MultiMap params = request.params();
        String accept = request.getHeader("Accept");
        String contentType = request.getHeader("Content-Type");
        boolean dryRun = params.contains("dryRun");
        switch (request.method().name()) {
            case "GET":
                if (isWatch(params)) {
                    watchOverHttp(request, target, params);
                    return null;
                }
                return target.name() == null ? list(target, params, accept) : get(target, params, accept);
            case "POST":
                if (target.name() != null) {
                    throw ApiException.methodNotAllowed();
                }
                return create(target.resource(), target.namespace(), body(body, contentType), dryRun);
            case "PUT":
                return update(target, body(body, contentType), dryRun);
            case "PATCH":
                return patch(target, new String(body, StandardCharsets.UTF_8), contentType, params);
            case "DELETE":
                return target.name() == null ? deleteCollection(target, params) : delete(target);
            default:
                throw ApiException.methodNotAllowed();
        }
    }

    // ---- discovery, OpenAPI, version

    private Reply discovery(String path) {
        switch (path) {
            case "/version":
                return Reply.json(200, version);
            case "/":
                ObjectNode root = Json.object();
                ArrayNode paths = root.putArray("paths");
                List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/openapi/v2", "/openapi/v3", "/readyz", "/version")
                        .forEach(paths::add);
                return Reply.json(200, root);
            case "/healthz", "/livez", "/readyz":
                return new Reply(200, "text/plain", "ok");
            case "/api":
                return Reply.json(200, resources.coreVersions(serverAddress));
            case "/apis":
                return Reply.json(200, resources.groupList());
            case "/api/v1":
                return Reply.json(200, resources.resourceList("", "v1"));
            case "/openapi/v2":
                return openApiV2();
            case "/openapi/v3":
                return Reply.json(200, resources.openApiV3Root());
            default:
                break;
        }
        if (path.startsWith("/openapi/v3/")) {
            return found(resources.openApiV3(path.substring("/openapi/v3/".length())));
        }
        String[] parts = path.split("/");
        if (parts.length == 3 && parts[1].equals("apis")) {
            return found(resources.group(parts[2]));
        }
        if (parts.length == 4 && parts[1].equals("apis")) {
            return found(resources.resourceList(parts[2], parts[3]));
        }
        return null;
    }

    private static Reply found(ObjectNode document) {
        if (document == null) {
            throw ApiException.noSuchPath();
        }
        return Reply.json(200, document);
    }

    /**
     * An OpenAPI v2 document without definitions. kubectl 1.20 (client-side validation) insists on
     * fetching one, as protobuf; finding no schema for a kind it skips validation of that kind. The
     * protobuf is a gnostic Document holding only {@code swagger: "2.0"} (field 1, length 3).
     */
    private static Reply openApiV2() {
        return new Reply(200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", "\n\u00032.0");
    }

    // ---- resource paths: /api/v1[/namespaces/NS]/PLURAL[/NAME[/status]], /apis/GROUP/VERSION/...

    private Target target(String path) {
        String[] s = path.substring(1).split("/");
        int i;
        String group;
        if (s[0].equals("api") && s.length >= 3) {
            group = "";
            i = 2;
        } else if (s[0].equals("apis") && s.length >= 4) {
            group = s[1];
            i = 3;
        } else {
            throw ApiException.noSuchPath();
        }
        String version = s[i - 1];
        String namespace = null;
        if (s[i].equals("namespaces") && s.length >= i + 3
                && resources.find(group, version, s[i + 2]).map(ApiResource::namespaced).orElse(false)) {
            namespace = s[i + 1];
            i += 2;
        }
        ApiResource resource = resources.find(group, version, s[i]).orElseThrow(ApiException::noSuchPath);
        String name = s.length > i + 1 ? s[i + 1] : null;
        boolean status = s.length == i + 3 && s[i + 2].equals("status") && resource.statusSubresource();
        if (s.length > i + 3 || s.length == i + 3 && !status) {
            throw ApiException.noSuchPath();
        }
        return new Target(resource, namespace, name, status);
    }

    private static boolean isWatch(MultiMap params) {
        return "true".equals(params.get("watch")) || "1".equals(params.get("watch"));
    }

    // ---- reads

    private Reply get(Target target, MultiMap params, String accept) {
        ObjectNode object = store.get(target.resource(), target.namespace(), target.name());
        if (object == null) {
            throw ApiException.notFound(target.resource(), target.name());
        }
        if (Tables.requested(accept)) {
            return new Reply(200, TABLE_JSON, Json.write(Tables.table(target.resource(), List.of(object),
                    Json.text(object, "metadata", "resourceVersion"), params.get("includeObject"))));
        }
        return Reply.json(200, object);
    }

    private Reply list(Target target, MultiMap params, String accept) {
        CrudStore.Listing stored = store.list(target.resource(), target.namespace());
        Selector selector = Selector.parse(params.get("labelSelector"), params.get("fieldSelector"));
        List<ObjectNode> items = stored.items().stream().filter(selector::test).toList();
        String resourceVersion = stored.resourceVersion();
        if (Tables.requested(accept)) {
            return new Reply(200, TABLE_JSON, Json.write(Tables.table(target.resource(), items, resourceVersion,
                    params.get("includeObject"))));
        }
        ObjectNode list = Json.object().put("kind", target.resource().kind() + "List")
                .put("apiVersion", target.resource().groupVersion());
        list.putObject("metadata").put("resourceVersion", resourceVersion);
        items.forEach(list.putArray("items")::add);
        return Reply.json(200, list);
    }

    // ---- watches

    private void watchOverHttp(HttpServerRequest request, Target target, MultiMap params) {
        HttpServerResponse response = request.response();
        WatchStream stream = newWatch(target, params, request.getHeader("Accept"), WatchStream.Sink.of(response));
        response.setChunked(true)
                .putHeader("Content-Type", Tables.requested(request.getHeader("Accept")) ? TABLE_JSON : JSON)
                .closeHandler(v -> stream.stop())
                .writeHead();
        startWatch(stream, target, params);
    }

    private void watchOverWebSocket(HttpServerRequest request) {
        Target target;
        try {
            target = target(request.path());
            if (!isWatch(request.params())) {
                throw ApiException.badRequest("the simulated API server serves only watches over WebSocket");
            }
        } catch (RuntimeException e) {
            send(request.response(), error(e));
            return;
        }
        request.toWebSocket().onSuccess(socket -> {
            WatchStream stream = newWatch(target, request.params(), request.getHeader("Accept"), WatchStream.Sink.of(socket));
            socket.closeHandler(v -> stream.stop());
            startWatch(stream, target, request.params());
        }).onFailure(e -> log.accept("kubernetes (simulated): WebSocket upgrade failed: " + e));
    }

    private WatchStream newWatch(Target target, MultiMap params, String accept, WatchStream.Sink sink) {
        String fieldSelector = params.get("fieldSelector");
        if (target.name() != null) { // the old /NAME?watch=true form
            fieldSelector = (fieldSelector == null ? "" : fieldSelector + ",") + "metadata.name=" + target.name();
        }
        long since;
        try {
            since = Long.parseLong(params.get("resourceVersion"));
        } catch (NumberFormatException e) {
            since = 0; // absent or "": start with every current object, as the real server does
        }
        String includeObject = params.get("includeObject");
        UnaryOperator<JsonNode> render = Tables.requested(accept)
                ? object -> Tables.table(target.resource(), List.of((ObjectNode) object),
                        Json.text(object, "metadata", "resourceVersion"), includeObject)
                : UnaryOperator.identity();
        return new WatchStream(sink, Selector.parse(params.get("labelSelector"), fieldSelector), since, render);
    }

    private void startWatch(WatchStream stream, Target target, MultiMap params) {
        watches.add(stream);
        stream.onStop(stopped -> {
            watches.remove(stopped);
            store.unwatch(stopped);
        });
        store.watch(target.resource(), target.namespace(), stream);
        String timeout = params.get("timeoutSeconds");
        if (timeout != null && timeout.matches("\\d{1,9}") && Long.parseLong(timeout) > 0) {
            vertx.setTimer(Long.parseLong(timeout) * 1000, id -> stream.stop());
        }
    }

    /** Ends every watch. */
    void stopWatches() {
        new ArrayList<>(watches).forEach(WatchStream::stop);
    }

    // ---- writes: resolved here into complete objects; each read-modify-write runs alone

    private Reply create(ApiResource resource, String namespace, ObjectNode object, boolean dryRun) {
        ObjectNode metadata = Json.metadata(object);
        checkKind(resource, object);
        if (resource.namespaced()) {
            if (namespace == null) {
                throw ApiException.noSuchPath();
            }
            String given = Json.text(metadata, "namespace");
            if (given != null && !given.isEmpty() && !given.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on "
                        + "the request");
            }
            metadata.put("namespace", namespace);
        } else {
            metadata.remove("namespace");
        }
        String name = Json.text(metadata, "name");
        if ((name == null || name.isEmpty()) && Json.text(metadata, "generateName") != null) {
            name = Json.text(metadata, "generateName") + randomSuffix();
            metadata.put("name", name);
        }
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid(resource, "", "metadata.name", "", "name or generateName is required");
        }
        String objectName = name;
        return store.write(() -> {
            if (resource.namespaced() && store.get(ApiResources.NAMESPACES, null, namespace) == null) {
                throw ApiException.notFound(ApiResources.NAMESPACES, namespace);
            }
            if (store.get(resource, namespace, objectName) != null) {
                throw ApiException.alreadyExists(resource, objectName);
            }
            admission.admit(resource, null, object, () -> otherServices(resource, namespace, objectName));
            return Reply.json(201, dryRun ? object : store.create(resource, namespace, object));
        });
    }

    private Reply update(Target target, ObjectNode object, boolean dryRun) {
        if (target.name() == null) {
            throw ApiException.methodNotAllowed();
        }
        return store.write(() -> replace(target, existing(target), object, dryRun));
    }

    private ObjectNode existing(Target target) {
        ObjectNode current = store.get(target.resource(), target.namespace(), target.name());
        if (current == null) {
            throw ApiException.notFound(target.resource(), target.name());
        }
        return current;
    }

    /** Stores {@code requested} over {@code current}, within a write. */
    private Reply replace(Target target, ObjectNode current, JsonNode requestedNode, boolean dryRun) {
        if (!(requestedNode instanceof ObjectNode requested)) {
            throw ApiException.badRequest("the updated object is not a JSON object");
        }
        ApiResource resource = target.resource();
        String name = Json.text(requested, "metadata", "name");
        if (name != null && !name.equals(target.name())) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
                    + target.name() + ")");
        }
        String requestedVersion = Json.text(requested, "metadata", "resourceVersion");
        String currentVersion = Json.text(current, "metadata", "resourceVersion");
        if (requestedVersion != null && !requestedVersion.isEmpty() && !requestedVersion.equals(currentVersion)) {
            throw ApiException.conflict(resource, target.name());
        }
        ObjectNode updated;
        if (target.status()) { // the status subresource changes status only
            updated = current.deepCopy();
            setOrRemove(updated, "status", requested.get("status"));
        } else {
            updated = requested;
            if (resource.builtIn() && resource.statusSubresource()) { // and the main resource all but status
                setOrRemove(updated, "status", current.get("status"));
            }
        }
        Json.metadata(updated).put("name", target.name()).put("resourceVersion", currentVersion);
        checkKind(resource, updated);
        if (!resource.namespaced()) {
            Json.metadata(updated).remove("namespace");
        }
        admission.admit(resource, current, updated, () -> otherServices(resource, target.namespace(), target.name()));
        return Reply.json(200, dryRun ? updated
                : store.update(resource, target.namespace(), target.name(), target.status(), updated));
    }

    private Reply patch(Target target, String body, String contentType, MultiMap params) {
        if (target.name() == null) {
            throw ApiException.methodNotAllowed();
        }
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean dryRun = params.contains("dryRun");
        if (type.equals("application/apply-patch+yaml")) {
            return store.write(() -> apply(target, body, params.get("fieldManager"), dryRun));
        }
        return store.write(() -> {
            ObjectNode current = existing(target);
            JsonNode patch = Json.parse(body, false);
            JsonNode patched = switch (type) {
                case "application/json-patch+json" -> Patches.jsonPatch(current, patch);
                case "application/merge-patch+json" -> Patches.mergePatch(current, patch);
                case "application/strategic-merge-patch+json" -> {
                    if (!target.resource().builtIn()) {
                        throw ApiException.unsupportedPatchType(type); // as the real server answers for custom resources
                    }
                    yield Patches.strategicMerge(current, patch);
                }
                default -> throw ApiException.unsupportedPatchType(contentType);
            };
            return replace(target, current, patched, dryRun);
        });
    }

    /**
     * Server-side apply, approximated: creates the object or merges the applied configuration into it
     * (strategic merge for built-in kinds, merge patch for custom resources) and records the manager in
     * managedFields. Fields dropped from a later apply are kept; conflicts between managers are not
     * detected.
     */
    private Reply apply(Target target, String body, String fieldManager, boolean dryRun) {
        if (fieldManager == null || fieldManager.isEmpty()) {
            throw ApiException.badRequest("PATCH, application/apply-patch+yaml requires fieldManager to be set");
        }
        if (!(Json.parse(body, true) instanceof ObjectNode applied)) {
            throw ApiException.badRequest("the applied configuration is not an object");
        }
        Json.metadata(applied).remove("managedFields");
        ObjectNode current = store.get(target.resource(), target.namespace(), target.name());
        if (current == null && !target.status()) {
            Json.metadata(applied).put("name", target.name());
            Patches.recordApply(applied, fieldManager, applied.deepCopy());
            return create(target.resource(), target.namespace(), applied, dryRun);
        }
        if (current == null) {
            throw ApiException.notFound(target.resource(), target.name());
        }
        JsonNode merged = target.resource().builtIn() ? Patches.strategicMerge(current, applied)
                : Patches.mergePatch(current, applied);
        Patches.recordApply((ObjectNode) merged, fieldManager, applied);
        return replace(target, current, merged, dryRun);
    }

    /** Deletes an object; a Namespace takes its contents along and a CRD its custom resources. */
    private Reply delete(Target target) {
        return store.write(() -> {
            ObjectNode deleted = store.delete(target.resource(), target.namespace(), target.name());
            if (deleted == null) {
                throw ApiException.notFound(target.resource(), target.name());
            }
            if (target.resource() == ApiResources.NAMESPACES) {
                resources.all().stream().filter(ApiResource::namespaced)
                        .forEach(r -> store.deleteAll(r, target.name()));
            } else if (target.resource() == ApiResources.CRDS) {
                ApiResources.fromCrd(deleted).forEach(r -> store.deleteAll(r, null));
            }
            return Reply.json(200, deleted);
        });
    }

    /** DELETE on a collection: the selected objects one by one, so that selectors are honoured. */
    private Reply deleteCollection(Target target, MultiMap params) {
        Reply listed = list(target, params, JSON);
        for (JsonNode item : Json.parseObject(listed.body()).path("items")) {
            try {
                delete(new Target(target.resource(), Json.text(item, "metadata", "namespace"),
                        Json.text(item, "metadata", "name"), false));
            } catch (ApiException gone) {
                // deleted meanwhile
            }
        }
        return listed;
    }

    private List<ObjectNode> otherServices(ApiResource resource, String namespace, String name) {
        if (resource != ApiResources.SERVICES) {
            return List.of();
        }
        List<ObjectNode> services = new ArrayList<>(store.peek(ApiResources.SERVICES, null));
        services.removeIf(s -> name.equals(Json.text(s, "metadata", "name"))
                && namespace.equals(Json.text(s, "metadata", "namespace")));
        return services;
    }

    private static ObjectNode body(byte[] body, String contentType) {
        String type = contentType == null ? JSON : contentType.toLowerCase(Locale.ROOT);
        if (type.contains("protobuf")) {
            return ProtobufBodies.decode(body);
        }
        if (!(Json.parse(new String(body, StandardCharsets.UTF_8), type.contains("yaml")) instanceof ObjectNode object)) {
            throw ApiException.badRequest("the body of the request is not an object");
        }
        return object;
    }

    /** Fills in apiVersion and kind where absent and refuses a body of another kind than the path names. */
    private static void checkKind(ApiResource resource, ObjectNode object) {
        String kind = Json.text(object, "kind");
        if (kind != null && !kind.equals(resource.kind())) {
            throw ApiException.badRequest(kind + " in version \"" + Json.text(object, "apiVersion")
                    + "\" cannot be handled as a " + resource.kind());
        }
        object.put("kind", resource.kind());
        if (Json.text(object, "apiVersion") == null) {
            object.put("apiVersion", resource.groupVersion());
        }
    }

    private static void setOrRemove(ObjectNode object, String field, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            object.remove(field);
        } else {
            object.set(field, value.deepCopy());
        }
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
        }
        return suffix.toString();
    }
}
