package dev.loxiharness.apiserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Jackson 3 (what fabric8 8.0 brings) helpers; objects travel through the front end as trees. */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Json() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses a request or stored body; YAML is accepted where the API accepts it (apply patches). */
    static JsonNode parse(String body, boolean yaml) {
        try {
            return (yaml ? YAML : MAPPER).readTree(body == null ? "" : body);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the body of the request could not be decoded: " + e.getMessage());
        }
    }

    static ObjectNode parseObject(String body) {
        JsonNode node = parse(body, false);
        if (!(node instanceof ObjectNode)) {
            throw ApiException.badRequest("the body of the request is not a JSON object");
        }
        return (ObjectNode) node;
    }

    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** The text at a path of field names, or null where any step is missing or not a scalar. */
    static String text(JsonNode node, String... path) {
        JsonNode at = node;
        for (String field : path) {
            if (at == null || !at.isObject()) {
                return null;
            }
            at = at.get(field);
        }
        return at == null || at.isNull() || at.isContainer() ? null : at.asString();
    }

    /** The child object named field, created when absent (or when it is not an object). */
    static ObjectNode child(ObjectNode parent, String field) {
        JsonNode existing = parent.get(field);
        return existing instanceof ObjectNode ? (ObjectNode) existing : parent.putObject(field);
    }

    static ObjectNode metadata(ObjectNode object) {
        return child(object, "metadata");
    }

    /** Kubernetes timestamps are RFC 3339 with second precision. */
    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
