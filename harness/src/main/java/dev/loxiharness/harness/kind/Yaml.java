package dev.loxiharness.harness.kind;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multi-document YAML the kind backend writes (kubeadm configs, Kubernetes and Calico objects)
 * and reads (release manifests). Numbers meant as strings stay quoted: a Kubernetes env value of
 * {@code 26} must be the string "26".
 */
final class Yaml {
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private Yaml() {
    }

    /** An ordered mapping from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Documents separated by {@code ---}, as kubeadm and kubectl read a multi-document file. */
    static String write(List<?> docs) {
        List<String> out = new ArrayList<>();
        for (Object d : docs) {
            try {
                out.add(MAPPER.writeValueAsString(d));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return String.join("---\n", out);
    }

    /** The mapping documents of a multi-document file (empty documents and comments skipped). */
    static List<JsonNode> readAll(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser p = (YAMLParser) MAPPER.getFactory().createParser(yaml)) {
            var it = MAPPER.readValues(p, JsonNode.class);
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && d.isObject()) {
                    docs.add(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
        }
        return docs;
    }
}
