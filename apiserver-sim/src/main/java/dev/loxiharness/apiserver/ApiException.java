package dev.loxiharness.apiserver;

import tools.jackson.databind.node.ObjectNode;

/**
 * A failure answered with a {@code Status} body shaped like the real API server's, because kubectl
 * and client libraries print {@code message} and branch on {@code reason} (NotFound, AlreadyExists...).
 */
final class ApiException extends RuntimeException {
    final int code;
    final String reason;
    private final ObjectNode details;

    private ApiException(int code, String reason, String message, ObjectNode details) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    String statusBody() {
        return Json.write(status(code, reason, getMessage(), details));
    }

    static ObjectNode status(int code, String reason, String message, ObjectNode details) {
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", code < 400 ? "Success" : "Failure");
        if (message != null) {
            status.put("message", message);
        }
        if (reason != null) {
            status.put("reason", reason);
        }
        status.set("details", details == null ? Json.object() : details);
        return status.put("code", code);
    }

    private static ObjectNode details(ApiResource resource, String name) {
        ObjectNode details = Json.object();
        if (name != null) {
            details.put("name", name);
        }
        if (!resource.group().isEmpty()) {
            details.put("group", resource.group());
        }
        return details.put("kind", resource.plural());
    }

    static ApiException notFound(ApiResource resource, String name) {
        return new ApiException(404, "NotFound", resource.qualifiedPlural() + " \"" + name + "\" not found",
                details(resource, name));
    }

    static ApiException noSuchPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null);
    }

    static ApiException alreadyExists(ApiResource resource, String name) {
        return new ApiException(409, "AlreadyExists", resource.qualifiedPlural() + " \"" + name + "\" already exists",
                details(resource, name));
    }

    static ApiException conflict(ApiResource resource, String name) {
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + resource.qualifiedPlural()
                + " \"" + name + "\": the object has been modified; please apply your changes to the latest version and try again",
                details(resource, name));
    }

    /** 422 with one field cause: {@code spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated}. */
    static ApiException invalid(ApiResource resource, String name, String field, Object value, String detail) {
        String cause = "Invalid value: " + (value instanceof String ? "\"" + value + "\"" : value) + ": " + detail;
        ObjectNode details = Json.object().put("name", name).put("kind", resource.kind());
        if (!resource.group().isEmpty()) {
            details.put("group", resource.group());
        }
        details.putArray("causes").addObject().put("reason", "FieldValueInvalid").put("message", cause).put("field", field);
        return new ApiException(422, "Invalid", resource.kind() + " \"" + name + "\" is invalid: " + field + ": " + cause,
                details);
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null);
    }

    static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "UnsupportedMediaType", message, null);
    }

    static ApiException unsupportedPatchType(String contentType) {
        return unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: "
                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
                + (contentType == null ? "" : " (got " + contentType + ")"));
    }

    static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message, null);
    }

    static ApiException methodNotAllowed() {
        return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                null);
    }
}
