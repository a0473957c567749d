package dev.loxiharness.loxilb.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Locale;

/**
 * Upstream's error body {@code {code, fields, message, result}} and its status mapping
 * ({@code ResultErrorResponseErrorMessage} in api/restapi/handler/common.go): the lower-cased
 * error string is matched against needle lists, first group wins, 500 when nothing matches (one
 * needle of ours: see the 409 group).
 */
@JsonPropertyOrder({"code", "fields", "message", "result"})
public record ApiError(
        @JsonProperty("code") int code,
        @JsonProperty("fields") @JsonInclude(JsonInclude.Include.ALWAYS) List<String> fields,
        @JsonProperty("message") String message,
        @JsonProperty("result") String result) {

    private record Group(int status, String message, List<String> needles) {
    }

    private static final List<Group> GROUPS = List.of(
            new Group(404, "Resource not found", List.of("not-exists", " not exists", "not found", "no such",
                    "not such", "no neigh found", "ephost-notfound", "host-notfound", "no-rule error",
                    "file not found")),
            new Group(401, "Invalid authentication credentials", List.of("invalid token", "authentication failed")),
            new Group(409, "Resource conflict: Resource already exists OR dependency not found",
                    List.of("lbrule-exist error", "lbrule-exists error", "already created", " existing ", " exists",
                            "lb rule-referred", "cant modify",
                            // not upstream's: it answers 500 when a rule is posted again with other
                            // secondaryIPs; it is the client's conflict with the rule that exists
                            "secip modify")),
            new Group(400, "Malformed arguments for API call", List.of("malformed", "parse error",
                    "invalid parameters", "invalid ", "proto error", "range", "overflow", "rule-allowed-src error",
                    "service-args error", "secondaryip-args", "endpoints-range", "address malformed",
                    "host-args error", "host-args unknown probe", "unknown probe port", "unknown ep-host-state",
                    "invalid json format")),
            new Group(403, "Capacity insufficient", List.of("capacity", "rule-hwm", "loxilb bgp mode is disabled",
                    "running in bgp only mode")),
            new Group(503, "Maintenance mode", List.of("not-ready", "timeout", "maintenance")));

    /** The upstream error body and status for an error string. */
    public static ApiError of(String result) {
        String lower = result.toLowerCase(Locale.ROOT);
        for (Group g : GROUPS) {
            if (g.needles().stream().anyMatch(lower::contains)) {
                return new ApiError(g.status(), null, g.message(), result);
            }
        }
        return new ApiError(500, null, result, result);
    }
}
