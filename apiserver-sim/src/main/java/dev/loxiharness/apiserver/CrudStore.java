package dev.loxiharness.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * fabric8's CRUD store ({@link KubernetesCrudDispatcher}), called in-process: it keeps the objects,
 * assigns uid, creationTimestamp, resourceVersion and generation, and fans changes out to
 * watchers. Being called directly, not through its MockWebServer, there is no recorded-request
 * queue to grow. It is only ever handed complete objects: patches, admission and Status bodies are
 * the front end's job.
 */
final class CrudStore {
    private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
    private final Object writeLock = new Object();

    /**
     * Runs a write, or a read-modify-write such as a patch or an allocation, alone. Every store
     * write goes through here, which also keeps writes away from watch releases (see {@link #release}).
     */
    <T> T write(Supplier<T> action) {
        synchronized (writeLock) {
            return action.get();
        }
    }

    ObjectNode get(ApiResource resource, String namespace, String name) {
        MockResponse response = store.handleGet(resource.objectPath(namespace, name));
        return response.code() == 200 ? clean(Json.parseObject(bodyOf(response))) : null;
    }

    /** The store's list document (items and metadata.resourceVersion) of a collection. */
    ObjectNode list(String collectionPath) {
        return Json.parseObject(bodyOf(store.handleGet(collectionPath)));
    }

    List<ObjectNode> items(String collectionPath) {
        List<ObjectNode> items = new ArrayList<>();
        list(collectionPath).path("items").forEach(item -> items.add(clean((ObjectNode) item)));
        return items;
    }

    ObjectNode create(ApiResource resource, String namespace, ObjectNode object) {
        return stored(store.handleCreate(request(HttpMethod.POST, resource.collectionPath(namespace), object)),
                resource, Json.text(object, "metadata", "name"));
    }

    /** Replaces an object; through the status path only its status changes (the store's rule). */
    ObjectNode update(ApiResource resource, String namespace, String name, boolean status, ObjectNode object) {
        String path = resource.objectPath(namespace, name) + (status ? "/status" : "");
        return stored(store.handleUpdate(request(HttpMethod.PUT, path, object)), resource, name);
    }

    /** The deleted object, or null when there was none. */
    ObjectNode delete(ApiResource resource, String namespace, String name) {
        MockResponse response = store.handleDelete(resource.objectPath(namespace, name));
        return response.code() == 404 ? null : clean(Json.parseObject(bodyOf(response)));
    }

    void deleteAll(String collectionPath) {
        store.handleDelete(collectionPath);
    }

    /** Registers a watcher of a collection; it starts (replaying current objects) when opened. */
    WebSocketListener watch(String collectionPath) {
        return store.handleWatch(collectionPath).getWebSocketListener();
    }

    /**
     * The store shuts a watcher's sender thread down before it unregisters the watcher, so a write in
     * between would fail on the dead thread. Releasing under the write lock closes that window; the
     * sender only writes to non-blocking sinks, so the lock is held briefly. Never on an event loop.
     */
    void release(WatchStream stream) {
        synchronized (writeLock) {
            stream.release();
        }
    }

    private static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
        return new RecordedRequest("HTTP/1.1", method, path, Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer(Json.write(body).getBytes(StandardCharsets.UTF_8)));
    }

    /** Maps the store's answer; its 409 on create names no reason, its conflict on update the wrong resource. */
    private static ObjectNode stored(MockResponse response, ApiResource resource, String name) {
        int code = response.code();
        if (code == 409) {
            throw ApiException.conflict(resource, name);
        }
        if (code == 404) {
            throw ApiException.notFound(resource, name);
        }
        if (code >= 400) {
            throw ApiException.badRequest(bodyOf(response));
        }
        return clean(Json.parseObject(bodyOf(response)));
    }

    private static String bodyOf(MockResponse response) {
        return response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    /** The store writes {@code namespace: null} into cluster-scoped objects it updates; the real server never does. */
    static <T extends JsonNode> T clean(T object) {
        if (object.path("metadata") instanceof ObjectNode metadata && metadata.has("namespace")
                && metadata.get("namespace").isNull()) {
            metadata.remove("namespace");
        }
        return object;
    }
}
