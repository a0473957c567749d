package dev.loxiharness.loxilb.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loxiharness.loxilb.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiErrorTest {

    @ParameterizedTest
    @CsvSource({
            "lbrule-exists error, 409",
            "no-rule error, 404",
            "endpoints-range error, 400",
            "malformed-service error, 400",
            "malformed-proto error, 400",
            "serv-port-args range error, 400",
            "service-args error, 400",
            "loxilb BGP mode is disabled, 403",
            "secIP modify error, 409", // upstream answers 500: ours is the client's conflict (no 5xx for bad input)
            "host-notfound error, 404",
            "dataplane not-ready error: nft failed, 503",
            "malformed-service unsupported error: mode dsr, 400",
    })
    void statusFollowsUpstreamsNeedles(String result, int status) {
        ApiError e = ApiError.of(result);
        assertThat(e.code()).isEqualTo(status);
        assertThat(e.result()).isEqualTo(result);
    }

    @Test
    void bodyHasUpstreamsKeysWithNullFields() throws Exception {
        assertThat(Json.MAPPER.writeValueAsString(ApiError.of("no-rule error")))
                .isEqualTo("{\"code\":404,\"fields\":null,\"message\":\"Resource not found\",\"result\":\"no-rule error\"}");
    }
}
