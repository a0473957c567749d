package dev.loxiharness.harness.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a topology file: the published JSON Schema first (so an editor and the CLI agree), then
 * the rules a schema cannot say (references between nodes and networks, address conflicts,
 * addresses outside their subnet). Nothing is created from a file that fails either.
 */
public final class TopologyLoader {
    public static final String SCHEMA = "topology.schema.json";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper BIND = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final JsonSchema SCHEMA_VALIDATOR = loadSchema();
    /** A {@code --set} path's list element: {@code manifests[1]}. */
    private static final Pattern ELEMENT = Pattern.compile("(.+)\\[(\\d+)]");

    private TopologyLoader() {
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = TopologyLoader.class.getResourceAsStream("/" + SCHEMA)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA + " is not on the classpath");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Topology load(Path file) {
        return load(file, Map.of());
    }

    /**
     * Loads {@code file} with settings changed first, each a dotted path to a value, a list's element
     * as {@code [N]}: {@code nodes.lb.image=ghcr.io/loxilb-io/loxilb:latest},
     * {@code kubernetes.manifests[1].copies=20} (what {@code --set} and
     * {@code -Dloxiharness.set.PATH=VALUE} give). The value is read as YAML ({@code 64512} is a
     * number, {@code [a, b]} a list); the result is validated like the file itself.
     */
    public static Topology load(Path file, Map<String, String> set) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new TopologyException(List.of(file + ": cannot read: " + e.getMessage()));
        }
        return parse(text, file, set);
    }

    static Topology parse(String text, Path file) {
        return parse(text, file, Map.of());
    }

    static Topology parse(String text, Path file, Map<String, String> set) {
        String where = file.getFileName().toString();
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
            String why = e.getOriginalMessage().lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("in 'reader'") && !l.equals("^")).distinct()
                    .collect(java.util.stream.Collectors.joining("; "));
            throw new TopologyException(List.of(where + ":" + line + ": not valid YAML: " + why));
        }
        if (tree == null || !tree.isObject()) {
            throw new TopologyException(List.of(where + ":1: a topology file is a YAML mapping"));
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            apply((ObjectNode) tree, e.getKey(), e.getValue(), where);
        }
        LineIndex lines = new LineIndex(text);
        Set<ValidationMessage> schemaErrors = SCHEMA_VALIDATOR.validate(tree);
        if (!schemaErrors.isEmpty()) {
            List<String> problems = new ArrayList<>();
            schemaErrors.stream().sorted(Comparator.comparing(m -> lines.lineOf(path(m)))).forEach(m ->
                    problems.add(where + ":" + lines.lineOf(path(m)) + ": " + display(path(m)) + ": " + strip(m.getMessage())));
            throw new TopologyException(problems);
        }
        Topology t;
        try {
            t = BIND.treeToValue(tree, Topology.class).withSource(file.toAbsolutePath()).withSettings(set);
        } catch (JsonProcessingException e) {
            throw new TopologyException(List.of(where + ": " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        for (TopologyRules.Problem p : TopologyRules.check(t)) {
            problems.add(where + ":" + lines.lineOf(p.path()) + ": " + p.path() + ": " + p.message());
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(problems);
        }
        return t;
    }

    /** Sets {@code path} (dotted keys, a list element as {@code key[N]}) to {@code value}, making missing mappings on the way. */
    private static void apply(ObjectNode root, String path, String value, String where) {
        String[] keys = path.split("\\.");
        JsonNode v;
        try {
            v = YAML.readTree(value);
        } catch (JsonProcessingException e) {
            v = null;
        }
        JsonNode newValue = v == null || v.isMissingNode() ? TextNode.valueOf(value) : v;
        ObjectNode at = root;
        for (int i = 0; i < keys.length; i++) {
            Matcher m = ELEMENT.matcher(keys[i]);
            String key = m.matches() ? m.group(1) : keys[i];
            boolean last = i == keys.length - 1;
            String so = String.join(".", List.of(keys).subList(0, i + 1));
            if (m.matches()) {
                int index = Integer.parseInt(m.group(2));
                JsonNode list = at.get(key);
                if (list == null || !list.isArray() || index >= list.size()) {
                    throw new TopologyException(List.of(where + ": --set " + path + ": " + so + " is not an element of a list"
                            + (list != null && list.isArray() ? " (it has " + list.size() + ")" : "")));
                }
                if (last) {
                    ((ArrayNode) list).set(index, newValue);
                    return;
                }
                JsonNode next = list.get(index);
                if (!next.isObject()) {
                    throw new TopologyException(List.of(where + ": --set " + path + ": " + so + " is not a mapping"));
                }
                at = (ObjectNode) next;
                continue;
            }
            if (last) {
                at.set(key, newValue);
                return;
            }
            JsonNode next = at.get(key);
            if (next == null || next.isNull()) {
                next = at.putObject(key);
            }
            if (!next.isObject()) {
                throw new TopologyException(List.of(where + ": --set " + path + ": " + so + " is not a mapping"));
            }
            at = (ObjectNode) next;
        }
    }

    private static String path(ValidationMessage m) {
        String p = m.getInstanceLocation().toString();
        p = p.startsWith("$.") ? p.substring(2) : p.startsWith("$") ? p.substring(1) : p;
        if ("required".equals(m.getType()) || "additionalProperties".equals(m.getType())) {
            Object[] args = m.getArguments();
            if (args != null && args.length > 0) {
                p = p.isEmpty() ? String.valueOf(args[0]) : p + "." + args[0];
            }
        }
        return p;
    }

    private static String display(String path) {
        return path.isEmpty() ? "(top level)" : path;
    }

    /** networknt prefixes messages with the instance path, which the line already names. */
    private static String strip(String message) {
        int colon = message.indexOf(": ");
        return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }
}
