package dev.loxiharness.loxilb.api;

import dev.loxiharness.loxilb.wire.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Upstream's token authentication of the REST API (loxilbdocs docs/token.md; loxilb
 * api/restapi/handler/auth.go, pkg/user): with {@code --userservice}, {@code POST /auth/login}
 * with {@code {"username","password"}} answers {@code {"token": JWT}}, every other call but
 * {@code /version} must carry that token as the raw {@code Authorization} header (swagger's
 * {@code BearerAuth} apiKey; a {@code Bearer } prefix is tolerated), {@code POST /auth/logout}
 * revokes it, and a {@code viewer} may only GET. With {@code --manualtoken} the header must equal
 * the contents of the {@code --manualtokenvalue} file instead. Tokens live in memory: a restart
 * logs everyone out (upstream keeps them in MySQL).
 */
public final class TokenAuth {
    /** Upstream's answer to a call without a token (go-openapi's errors.Unauthenticated). */
    static final String NO_CREDENTIALS = "unauthenticated for invalid credentials";

    private final Map<String, UsersFile.User> users;
    private final Path manualToken;
    private final Duration lifetime;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private record Session(String user, String role, Instant expires) {
    }

    /** An API call refused before its handler: 401 or 403 with go-openapi's {@code {code, message}}. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private TokenAuth(Map<String, UsersFile.User> users, Path manualToken, Duration lifetime, Clock clock) {
        this.users = users;
        this.manualToken = manualToken;
        this.lifetime = lifetime;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /** {@code --userservice}: users from {@code usersFile}, tokens valid for {@code lifetime}. */
    public static TokenAuth users(Path usersFile, Duration lifetime, Clock clock) throws IOException {
        return new TokenAuth(UsersFile.load(usersFile), null, lifetime, clock);
    }

    /** {@code --manualtoken}: one shared token, read from {@code file} at every call as upstream does. */
    public static TokenAuth manual(Path file) {
        return new TokenAuth(Map.of(), file, Duration.ZERO, Clock.systemUTC());
    }

    void register(RestApi api, Javalin app) {
        app.before(this::check);
        if (manualToken == null) {
            api.route(app, HandlerType.POST, "/auth/login", this::login);
            api.route(app, HandlerType.POST, "/auth/logout", ctx -> {
                sessions.remove(token(ctx));
                ctx.status(200);
            });
        }
    }

    private void check(Context ctx) {
        String path = ctx.path();
        if (!path.startsWith(RestApi.BASE) || path.equals(RestApi.BASE + "/version")
                || path.equals(RestApi.BASE + "/auth/login")) {
            return; // swagger: security: [] on these
        }
        String token = token(ctx);
        if (token.isEmpty()) {
            throw new Refused(401, NO_CREDENTIALS);
        }
        String role = roleOf(token);
        boolean logout = ctx.method() == HandlerType.POST && path.equals(RestApi.BASE + "/auth/logout");
        if (UsersFile.VIEWER.equals(role) && ctx.method() != HandlerType.GET && !logout) {
            throw new Refused(403, "Permission denied");
        }
    }

    /** The role behind {@code token}; refuses one that is unknown, revoked or expired. */
    private String roleOf(String token) {
        if (manualToken != null) {
            try {
                if (token.equals(Files.readString(manualToken).strip())) {
                    return UsersFile.ADMIN;
                }
            } catch (IOException e) {
                // upstream: a missing token file makes every token invalid
            }
            throw new Refused(401, "invalid token");
        }
        Session s = sessions.get(token);
        if (s == null || !clock.instant().isBefore(s.expires())) {
            if (s != null) {
                sessions.remove(token);
            }
            // upstream answers 500 "Token not found" here (docs/token.md); 401 is what its docs tell clients to expect
            throw new Refused(401, "Token not found");
        }
        return s.role();
    }

    private void login(Context ctx) {
        Map<?, ?> body = RestApi.body(ctx, Map.class);
        Object name = body == null ? null : body.get("username");
        Object password = body == null ? null : body.get("password");
        if (!(name instanceof String n) || !(password instanceof String p)) {
            throw new Refused(400, "username and password in body are required");
        }
        UsersFile.User u = users.get(n);
        // one answer for an unknown user and a wrong password: no user enumeration
        if (u == null || !u.accepts(p)) {
            throw new Refused(401, "authentication failed");
        }
        Instant expires = clock.instant().plus(lifetime);
        String token = jwt(u, expires);
        sessions.put(token, new Session(u.name(), u.role(), expires));
        ctx.json(Map.of("token", token));
    }

    /** A JWT like upstream's (HS256; claims username, role, exp), signed with a key of this process. */
    private String jwt(UsersFile.User u, Instant expires) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("username", u.name());
        claims.put("role", u.role());
        claims.put("exp", expires.getEpochSecond());
        try {
            String head = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String body = b64.encodeToString(Json.MAPPER.writeValueAsBytes(claims));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String sig = b64.encodeToString(mac.doFinal((head + "." + body).getBytes(StandardCharsets.US_ASCII)));
            return head + "." + body + "." + sig;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null) {
            return "";
        }
        h = h.strip();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : h;
    }
}
