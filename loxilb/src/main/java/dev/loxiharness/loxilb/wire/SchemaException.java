package dev.loxiharness.loxilb.wire;


/**
 * A request body that does not fit upstream's swagger schema. Upstream's go-openapi layer answers
 * these before any handler runs, with {@code {"code":6xx,"message":...}} and HTTP 422 (400 for
 * JSON that does not parse).
 */
public class SchemaException extends RuntimeException {
    public static final int REQUIRED = 602;
    public static final int INVALID_TYPE = 601;
    public static final int ENUM = 606;
    public static final int PARSE = 400;

    private final int code;

    public SchemaException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** Refuses a request without {@code what} (e.g. {@code "ipAddress in body"}): go-openapi's required check. */
    public static void require(Object value, String what) {
        if (value == null) {
            throw new SchemaException(REQUIRED, what + " is required");
        }
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return code >= 600 ? 422 : code;
    }
}
