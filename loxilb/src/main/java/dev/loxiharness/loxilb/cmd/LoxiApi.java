package dev.loxiharness.loxilb.cmd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loxiharness.loxilb.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLException;

/**
 * The loxilb REST client of loxicmd: {@code <base>/netlox/v1/<resource>} with upstream's headers
 * ({@code Content-Type: application/json}, {@code Authorization: <token>}), path segments joined and
 * escaped as Go's {@code path.Join} + {@code url.URL} do, and queries encoded as
 * {@code url.Values.Encode} (keys sorted).
 */
final class LoxiApi {
    private final String base;
    private final int timeoutSeconds;
    private final String token;

    /** An answer of the API. */
    record Reply(int status, String body) {
        /**
         * The {@code result} string of a loxilb answer; for an error body without one, its
         * {@code message}; failing both, the HTTP status.
         */
        String result() {
            JsonNode node = tryParse(body);
            for (String key : List.of("result", "message")) {
                JsonNode v = field(node, key);
                if (v != null && v.isTextual() && !v.asText().isEmpty()) {
                    return v.asText();
                }
            }
            return "HTTP " + status;
        }
    }

    /** The API could not be reached or did not answer in time. */
    static final class Unreachable extends Exception {
        Unreachable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    LoxiApi(String base, int timeoutSeconds, String token) {
        this.base = base;
        this.timeoutSeconds = timeoutSeconds;
        this.token = token;
    }

    String base() {
        return base;
    }

    Reply get(String path) throws Unreachable {
        return send("GET", path, null);
    }

    Reply post(String path, String jsonBody) throws Unreachable {
        return send("POST", path, jsonBody);
    }

    Reply delete(String path) throws Unreachable {
        return send("DELETE", path, null);
    }

    /** {@code segments} joined by {@code /} (empty ones dropped, as path.Join does), then the query. */
    static String path(List<String> segments, Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            if (!s.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('/');
                }
                sb.append(escapePath(s));
            }
        }
        if (query != null && !query.isEmpty()) {
            char sep = '?';
            for (Map.Entry<String, String> e : new TreeMap<>(query).entrySet()) {
                sb.append(sep).append(escapeQuery(e.getKey())).append('=').append(escapeQuery(e.getValue()));
                sep = '&';
            }
        }
        return sb.toString();
    }

    private Reply send(String method, String path, String body) throws Unreachable {
        URI uri;
        try {
            uri = URI.create(base + "/netlox/v1/" + path);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("invalid address", e);
        }
        // HttpURLConnection rather than java.net.http: the latter sets up TLS (SSLContext, cacerts)
        // even for plain http, which is a third of a loxicmd call's start-up.
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
            c.setRequestMethod(method);
            c.setInstanceFollowRedirects(true);
            c.setRequestProperty("Content-Type", "application/json");
            if (!token.isEmpty()) {
                c.setRequestProperty("Authorization", token);
            }
            if (timeoutSeconds > 0) {
                c.setConnectTimeout(timeoutSeconds * 1000);
                c.setReadTimeout(timeoutSeconds * 1000);
            }
            if (body != null) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Reply(status, text);
        } catch (SocketTimeoutException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            throw new Unreachable(m.contains("connect") ? "connection timed out after " + timeoutSeconds + "s"
                    : "no answer within " + timeoutSeconds + "s", e);
        } catch (ConnectException e) {
            throw new Unreachable("connection refused", e);
        } catch (UnknownHostException e) {
            throw new Unreachable("unknown host", e);
        } catch (SSLException e) {
            throw new Unreachable("TLS error: " + e.getMessage(), e);
        } catch (IOException e) {
            String msg = e.getMessage();
            throw new Unreachable(msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg, e);
        } catch (IllegalArgumentException e) {
            throw new Unreachable(e.getMessage(), e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** Go's url.URL path escaping: unreserved characters and {@code $&+,/:;=@} stay literal. */
    private static String escapePath(String s) {
        return escape(s, "-_.~$&+,/:;=@", false);
    }

    /** Go's url.QueryEscape. */
    private static String escapeQuery(String s) {
        return escape(s, "-_.~", true);
    }

    private static String escape(String s, String literal, boolean spaceAsPlus) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || literal.indexOf(c) >= 0) {
                sb.append((char) c);
            } else if (c == ' ' && spaceAsPlus) {
                sb.append('+');
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    static JsonNode tryParse(String body) {
        try {
            return Json.MAPPER.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A member of a JSON object, matched as Go's encoding/json does: exact name first, else ignoring case. */
    static JsonNode field(JsonNode obj, String name) {
        if (obj == null || !obj.isObject()) {
            return null;
        }
        JsonNode v = obj.get(name);
        if (v != null) {
            return v;
        }
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static String text(JsonNode obj, String name) {
        JsonNode v = field(obj, name);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static long number(JsonNode obj, String name) {
        JsonNode v = field(obj, name);
        return v == null ? 0 : v.asLong();
    }

    static boolean bool(JsonNode obj, String name) {
        JsonNode v = field(obj, name);
        return v != null && v.asBoolean();
    }
}
