package dev.loxiharness.loxilb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.loxilb.lb.LoadBalancer;
import dev.loxiharness.loxilb.store.RuleStore;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream's token authentication (docs/token.md) on loopback over an in-memory data plane. */
class TokenAuthTest {
    @TempDir
    Path dir;
    LoadBalancer lb;
    Javalin app;
    HttpClient http = HttpClient.newHttpClient();
    final MutableClock clock = new MutableClock();

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void start() throws Exception {
        Path users = dir.resolve("users");
        UsersFile.put(users, "ops", "admin", "Secret-pw1");
        UsersFile.put(users, "watch", "viewer", "Viewer-pw1");
        lb = new LoadBalancer(new RestApiTest.RecordingDataplane(), new RuleStore(dir));
        lb.restore();
        app = new RestApi(lb, "test", null).withAuth(TokenAuth.users(users, Duration.ofMinutes(60), clock))
                .create().start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
        lb.close();
    }

    HttpResponse<String> call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/netlox/v1" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String login(String user, String password) throws Exception {
        HttpResponse<String> r = call("POST", "/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void withoutATokenOnlyVersionAndLoginAnswer() throws Exception {
        HttpResponse<String> r = call("GET", "/config/loadbalancer/all", null, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"code\":401,\"message\":\"unauthenticated for invalid credentials\"}");
        assertThat(call("POST", "/config/loadbalancer", RestApiTest.RULE, null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/config/nothing", null, null).statusCode()).as("no probing of paths either").isEqualTo(401);
        assertThat(call("GET", "/version", null, null).statusCode()).isEqualTo(200);
        assertThat(lb.rules()).isEmpty();
    }

    @Test
    void loginGivesAJwtThatOpensTheApiUntilLogout() throws Exception {
        String token = login("ops", "Secret-pw1");
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1])))
                .contains("\"username\":\"ops\"", "\"role\":\"admin\"", "\"exp\":" + clock.now.plusSeconds(3600).getEpochSecond());
        assertThat(call("POST", "/config/loadbalancer", RestApiTest.RULE, token).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/config/loadbalancer/all", null, "Bearer " + token).statusCode()).isEqualTo(200);
        assertThat(call("POST", "/auth/logout", null, token).statusCode()).isEqualTo(200);
        HttpResponse<String> after = call("GET", "/config/loadbalancer/all", null, token);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).isEqualTo("{\"code\":401,\"message\":\"Token not found\"}");
    }

    @Test
    void aTokenExpiresAfterItsLifetime() throws Exception {
        String token = login("ops", "Secret-pw1");
        clock.now = clock.now.plus(Duration.ofMinutes(59));
        assertThat(call("GET", "/config/loadbalancer/all", null, token).statusCode()).isEqualTo(200);
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        assertThat(call("GET", "/config/loadbalancer/all", null, token).statusCode()).isEqualTo(401);
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() throws Exception {
        HttpResponse<String> wrong = call("POST", "/auth/login", "{\"username\":\"ops\",\"password\":\"nope-nope1\"}", null);
        HttpResponse<String> unknown = call("POST", "/auth/login", "{\"username\":\"eve\",\"password\":\"nope-nope1\"}", null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body()).isEqualTo("{\"code\":401,\"message\":\"authentication failed\"}");
        assertThat(call("POST", "/auth/login", "{\"username\":1}", null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/config/loadbalancer/all", null, "forged.token.value").statusCode()).isEqualTo(401);
    }

    @Test
    void aViewerMayOnlyGet() throws Exception {
        String token = login("watch", "Viewer-pw1");
        assertThat(call("GET", "/config/loadbalancer/all", null, token).statusCode()).isEqualTo(200);
        HttpResponse<String> post = call("POST", "/config/loadbalancer", RestApiTest.RULE, token);
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).isEqualTo("{\"code\":403,\"message\":\"Permission denied\"}");
        assertThat(call("DELETE", "/config/loadbalancer/all", null, token).statusCode()).isEqualTo(403);
        assertThat(call("POST", "/auth/logout", null, token).statusCode()).isEqualTo(200);
        assertThat(lb.rules()).isEmpty();
    }

    @Test
    void theUsersFileHoldsUpstreamsHashesAndIsPrivate() throws Exception {
        Path users = dir.resolve("users");
        assertThat(Files.getPosixFilePermissions(users)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(users)).containsPattern("(?m)^ops:admin:[A-Za-z0-9+/]{64}$");
        assertThat(UsersFile.load(users).get("ops").accepts("Secret-pw1")).isTrue();
        assertThat(UsersFile.weakness("ops", "short")).isPresent();
    }

    @Test
    void aManualTokenIsTheContentsOfItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("manual_token"), "s3cret-license\n");
        Javalin manual = new RestApi(lb, "test", null).withAuth(TokenAuth.manual(file)).create().start("127.0.0.1", 0);
        try {
            String url = "http://127.0.0.1:" + manual.port() + "/netlox/v1/config/loadbalancer/all";
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "s3cret-license").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "other").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        } finally {
            manual.stop();
        }
    }
}
