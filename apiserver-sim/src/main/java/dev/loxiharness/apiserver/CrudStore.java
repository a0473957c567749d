package dev.loxiharness.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

/**
 * The objects, indexed as etcd keys them: per resource, {@code namespace/name} in order, so a get
 * is a lookup and a list walks one resource (never the whole store; fabric8's CRUD store, used
 * before, scanned every object on every request, which made the 1,000th Service cost 40 ms). It
 * assigns uid, creationTimestamp, resourceVersion and generation as the real server does, honours
 * finalizers on delete, and fans every change out to the watches of its resource, in order, while
 * the write runs. It is only ever handed complete objects: patches, admission and Status bodies
 * are the front end's job. Stored objects are never changed in place: readers get copies.
 */
final class CrudStore {
    private final Object writeLock = new Object();
    private long resourceVersion;
    private final Map<String, ConcurrentNavigableMap<String, ObjectNode>> byResource = new ConcurrentHashMap<>();
    private final Set<Watch> watches = new CopyOnWriteArraySet<>();

    /** A list's objects and the resourceVersion it was read at. */
    record Listing(List<ObjectNode> items, String resourceVersion) {
    }

    private record Watch(String resource, String namespace, WatchStream stream) {
        boolean sees(String resourceKey, ObjectNode object) {
            return resource.equals(resourceKey)
                    && (namespace == null || namespace.equals(Json.text(object, "metadata", "namespace")));
        }
    }

    /** Runs a write, or a read-modify-write such as a patch or an allocation, alone. Every store write goes through here. */
    <T> T write(Supplier<T> action) {
        synchronized (writeLock) {
            return action.get();
        }
    }

    ObjectNode get(ApiResource resource, String namespace, String name) {
        ObjectNode o = objects(resource).get(key(resource, namespace, name));
        return o == null ? null : o.deepCopy();
    }

    /** The objects of a collection ({@code namespace} null: all namespaces, or cluster scope), in key order. */
    Listing list(ApiResource resource, String namespace) {
        synchronized (writeLock) { // a consistent resourceVersion; no copies: a stored object is never changed
            return new Listing(List.copyOf(collection(resource, namespace).values()), String.valueOf(resourceVersion));
        }
    }

    /**
     * The stored objects themselves, for reading only (admission looks at every other Service, each
     * request at the CRDs): no copies, so a thousand Services do not cost a thousand copies per
     * write. Safe without the lock: the maps are concurrent and a stored object is never changed.
     */
    List<ObjectNode> peek(ApiResource resource, String namespace) {
        return List.copyOf(collection(resource, namespace).values());
    }

    ObjectNode create(ApiResource resource, String namespace, ObjectNode object) {
        synchronized (writeLock) {
            ObjectNode stored = object.deepCopy();
            ObjectNode metadata = Json.metadata(stored);
            metadata.remove("deletionTimestamp");
            if (resource.namespaced()) {
                metadata.put("namespace", namespace);
            }
            metadata.put("uid", UUID.randomUUID().toString());
            metadata.put("creationTimestamp", Json.now());
            metadata.put("resourceVersion", String.valueOf(++resourceVersion));
            metadata.put("generation", 1L);
            if (!resource.builtIn() && resource.statusSubresource()) {
                stored.remove("status");
            }
            String key = key(resource, namespace, Json.text(metadata, "name"));
            if (objects(resource).putIfAbsent(key, stored) != null) {
                throw ApiException.conflict(resource, Json.text(metadata, "name"));
            }
            notify(resource, "ADDED", stored);
            return stored.deepCopy();
        }
    }

    /**
     * Replaces an object, keeping what the server owns (namespace, uid, creationTimestamp); through
     * the status path only its status changes, through the main path everything but status where
     * the resource has a status subresource. The resourceVersion moves only when something changed,
     * the generation only when more than metadata and status did.
     */
    ObjectNode update(ApiResource resource, String namespace, String name, boolean status, ObjectNode object) {
        synchronized (writeLock) {
            String key = key(resource, namespace, name);
            ObjectNode current = objects(resource).get(key);
            if (current == null) {
                throw ApiException.notFound(resource, name);
            }
            ObjectNode updated;
            if (status) {
                updated = current.deepCopy();
                setOrRemove(updated, "status", object.get("status"));
            } else {
                updated = object.deepCopy();
                if (resource.statusSubresource()) {
                    setOrRemove(updated, "status", current.get("status"));
                }
            }
            ObjectNode metadata = Json.metadata(updated);
            JsonNode finalizers = metadata.path("finalizers");
            if (metadata.hasNonNull("deletionTimestamp") && (!finalizers.isArray() || finalizers.isEmpty())) {
                objects(resource).remove(key);
                notify(resource, "DELETED", current);
                return current.deepCopy();
            }
            ObjectNode was = (ObjectNode) current.path("metadata");
            for (String owned : List.of("namespace", "uid", "creationTimestamp", "resourceVersion", "generation")) {
                setOrRemove(metadata, owned, was.get(owned));
            }
            if (updated.equals(current)) {
                return current.deepCopy();
            }
            if (!status && specChanged(current, updated)) {
                metadata.put("generation", was.path("generation").asLong(0) + 1);
            }
            metadata.put("resourceVersion", String.valueOf(++resourceVersion));
            objects(resource).put(key, updated);
            notify(resource, "MODIFIED", updated);
            return updated.deepCopy();
        }
    }

    /** The deleted object, or null when there was none; one with finalizers is only marked (deletionTimestamp). */
    ObjectNode delete(ApiResource resource, String namespace, String name) {
        synchronized (writeLock) {
            String key = key(resource, namespace, name);
            ObjectNode current = objects(resource).get(key);
            if (current == null) {
                return null;
            }
            JsonNode finalizers = current.path("metadata").path("finalizers");
            if (finalizers.isArray() && !finalizers.isEmpty()) {
                if (!current.path("metadata").hasNonNull("deletionTimestamp")) {
                    ObjectNode marked = current.deepCopy();
                    Json.metadata(marked).put("deletionTimestamp", Json.now()).put("resourceVersion", String.valueOf(++resourceVersion));
                    objects(resource).put(key, marked);
                    notify(resource, "MODIFIED", marked);
                }
                return current.deepCopy();
            }
            objects(resource).remove(key);
            notify(resource, "DELETED", current);
            return current.deepCopy();
        }
    }

    /** Deletes every object of a collection (a namespace's, as the namespace goes; a CRD's custom resources). */
    void deleteAll(ApiResource resource, String namespace) {
        synchronized (writeLock) {
            for (ObjectNode o : peek(resource, namespace)) {
                delete(resource, Json.text(o, "metadata", "namespace"), Json.text(o, "metadata", "name"));
            }
        }
    }

    /** Registers a watch of a collection and replays its current objects to it as ADDED, before any later change. */
    void watch(ApiResource resource, String namespace, WatchStream stream) {
        synchronized (writeLock) {
            Watch w = new Watch(resourceKey(resource), resource.namespaced() ? namespace : null, stream);
            watches.add(w);
            for (ObjectNode o : collection(resource, w.namespace()).values()) {
                if (!stream.deliver("ADDED", o)) {
                    break;
                }
            }
        }
    }

    void unwatch(WatchStream stream) {
        watches.removeIf(w -> w.stream() == stream);
    }

    private void notify(ApiResource resource, String type, ObjectNode object) {
        String r = resourceKey(resource);
        for (Watch w : watches) {
            if (w.sees(r, object) && !w.stream().deliver(type, object)) {
                watches.remove(w); // stopped, maybe before it was registered (so unwatch missed it)
            }
        }
    }

    private ConcurrentNavigableMap<String, ObjectNode> objects(ApiResource resource) {
        return byResource.computeIfAbsent(resourceKey(resource), k -> new ConcurrentSkipListMap<>());
    }

    private ConcurrentNavigableMap<String, ObjectNode> collection(ApiResource resource, String namespace) {
        ConcurrentNavigableMap<String, ObjectNode> all = objects(resource);
        if (!resource.namespaced() || namespace == null) {
            return all;
        }
        // keys are namespace + '/' + name, and '0' is the character after '/'
        return all.subMap(namespace + "/", namespace + "0");
    }

    private static String resourceKey(ApiResource resource) {
        return resource.collectionPath(null);
    }

    private static String key(ApiResource resource, String namespace, String name) {
        return (resource.namespaced() ? Objects.requireNonNull(namespace, "namespace") : "") + "/" + name;
    }

    /** Whether anything but metadata and status differs: what moves the generation. */
    private static boolean specChanged(ObjectNode before, ObjectNode after) {
        Set<String> fields = new HashSet<>();
        before.properties().forEach(e -> fields.add(e.getKey()));
        after.properties().forEach(e -> fields.add(e.getKey()));
        fields.removeAll(Set.of("metadata", "status"));
        return fields.stream().anyMatch(f -> !Objects.equals(before.get(f), after.get(f)));
    }

    private static void setOrRemove(ObjectNode object, String field, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            object.remove(field);
        } else {
            object.set(field, value.deepCopy());
        }
    }
}
