package dev.loxiharness.apiserver;

import io.fabric8.zjsonpatch.JsonPatch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The patch types of the API: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic
 * merge patch. The strategic one is an approximation: instead of reading patch strategies from the
 * Go types, lists are merged by key for the usual field names below, {@code finalizers} is merged
 * as a set, every other list is replaced; the directives {@code $patch}, {@code $retainKeys} and
 * {@code $deleteFromPrimitiveList/} are honoured and {@code $setElementOrder/} is accepted but
 * ordering is left as it falls.
 */
final class Patches {
    /** Lists merged by key in the built-in types (the patchMergeKey of their Go fields). */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"), Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"), Map.entry("env", "name"), Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"), Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"), Map.entry("hostAliases", "ip"), Map.entry("conditions", "type"),
            Map.entry("addresses", "type"), Map.entry("ownerReferences", "uid"), Map.entry("taints", "key"),
            Map.entry("topologySpreadConstraints", "topologyKey"), Map.entry("resourceClaims", "name"),
            Map.entry("podIPs", "ip"), Map.entry("hostIPs", "ip"));
    private static final Set<String> SET_LISTS = Set.of("finalizers");
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder/";

    private Patches() {
    }

    static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
        try {
            return JsonPatch.apply(patch, target);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the JSON patch could not be applied: " + e.getMessage());
        }
    }

    /** RFC 7386: objects merge recursively, null removes, anything else (lists too) replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : Json.object();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    /** Strategic merge of patch into target; returns a new tree, or null when the patch deletes it. */
    static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        String directive = Json.text(patch, "$patch");
        if ("delete".equals(directive)) {
            return null;
        }
        if ("replace".equals(directive)) {
            return withoutDirectives(patch);
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target.deepCopy() : Json.object();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                removeValues(result, name.substring(DELETE_FROM_PRIMITIVE_LIST.length()), value);
            } else if (name.startsWith("$")) {
                continue; // $patch, $retainKeys (applied below), $setElementOrder/ (ordering not kept)
            } else if (value.isNull()) {
                result.remove(name);
            } else if (value.isArray()) {
                result.set(name, mergeList(name, result.get(name), (ArrayNode) value));
            } else {
                JsonNode merged = strategicMerge(result.get(name), value);
                if (merged == null) {
                    result.remove(name);
                } else {
                    result.set(name, merged);
                }
            }
        }
        JsonNode retainKeys = patch.get("$retainKeys");
        if (retainKeys != null && retainKeys.isArray()) {
            Set<String> keep = new HashSet<>();
            retainKeys.forEach(k -> keep.add(k.asString()));
            result.retain(keep);
        }
        return result;
    }

    /**
     * Records a server-side apply in managedFields, minimally: one Apply entry per manager with the
     * time and the set of fields it gave (lists count as single fields; metadata only labels and
     * annotations).
     */
    static void recordApply(ObjectNode object, String manager, ObjectNode applied) {
        ObjectNode metadata = Json.metadata(object);
        ArrayNode entries = metadata.get("managedFields") instanceof ArrayNode existing
                ? existing : metadata.putArray("managedFields");
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (manager.equals(Json.text(entries.get(i), "manager")) && "Apply".equals(Json.text(entries.get(i), "operation"))) {
                entries.remove(i);
            }
        }
        ObjectNode fields = fieldSet(applied.deepCopy().without(List.of("apiVersion", "kind")));
        if (fields.get("f:metadata") instanceof ObjectNode metadataFields) {
            metadataFields.retain("f:labels", "f:annotations");
        }
        entries.addObject().put("manager", manager).put("operation", "Apply")
                .put("apiVersion", Json.text(applied, "apiVersion")).put("time", Json.now()).put("fieldsType", "FieldsV1")
                .set("fieldsV1", fields);
    }

    private static ObjectNode fieldSet(JsonNode node) {
        ObjectNode set = Json.object();
        node.properties().forEach(e -> set.set("f:" + e.getKey(), fieldSet(e.getValue())));
        return set;
    }

    private static JsonNode mergeList(String field, JsonNode current, ArrayNode patch) {
        for (JsonNode element : patch) {
            if ("replace".equals(Json.text(element, "$patch"))) {
                ArrayNode replaced = Json.array();
                patch.forEach(e -> {
                    if (!"replace".equals(Json.text(e, "$patch"))) {
                        replaced.add(withoutDirectives(e));
                    }
                });
                return replaced;
            }
        }
        if (current == null || !current.isArray()) {
            current = Json.array();
        }
        String key = mergeKey(field, patch, (ArrayNode) current);
        if (key == null) {
            if (!SET_LISTS.contains(field)) {
                return withoutDirectives(patch);
            }
            ArrayNode union = ((ArrayNode) current).deepCopy();
            patch.forEach(value -> {
                if (!contains(union, value)) {
                    union.add(value);
                }
            });
            return union;
        }
        ArrayNode result = ((ArrayNode) current).deepCopy();
        for (JsonNode element : patch) {
            JsonNode keyValue = element.get(key);
            int index = indexOf(result, key, keyValue);
            if ("delete".equals(Json.text(element, "$patch"))) {
                if (index >= 0) {
                    result.remove(index);
                }
            } else if (index >= 0) {
                result.set(index, strategicMerge(result.get(index), element));
            } else {
                result.add(strategicMerge(null, element));
            }
        }
        return result;
    }

    /** Container ports are keyed by containerPort, Service ports by port; both lists are named "ports". */
    private static String mergeKey(String field, ArrayNode patch, ArrayNode current) {
        if (field.equals("ports")) {
            JsonNode sample = patch.isEmpty() ? current.get(0) : patch.get(0);
            return sample == null || !sample.isObject() ? null : sample.has("containerPort") ? "containerPort" : "port";
        }
        String key = MERGE_KEYS.get(field);
        JsonNode sample = patch.isEmpty() ? null : patch.get(0);
        return key != null && (sample == null || sample.isObject()) ? key : null;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (value != null && value.equals(list.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode element : list) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static void removeValues(ObjectNode target, String field, JsonNode values) {
        JsonNode list = target.get(field);
        if (list instanceof ArrayNode array && values instanceof ArrayNode remove) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (contains(remove, array.get(i))) {
                    array.remove(i);
                }
            }
        }
    }

    private static JsonNode withoutDirectives(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = Json.object();
            node.properties().forEach(e -> {
                if (!e.getKey().startsWith("$")) {
                    copy.set(e.getKey(), withoutDirectives(e.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = Json.array();
            node.forEach(e -> copy.add(withoutDirectives(e)));
            return copy;
        }
        return node;
    }
}
