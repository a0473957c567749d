package dev.loxiharness.harness.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.util.List;

/** JSON Schema checks of rendered documents against the schemas in src/test/resources/kind. */
final class Schemas {
    private Schemas() {
    }

    static List<String> problems(String schema, JsonNode doc) {
        InputStream in = Schemas.class.getResourceAsStream("/kind/" + schema);
        JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        return s.validate(doc).stream().map(Object::toString).sorted().toList();
    }
}
