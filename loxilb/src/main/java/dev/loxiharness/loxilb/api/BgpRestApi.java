package dev.loxiharness.loxilb.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.loxiharness.loxilb.bgp.BgpSpeaker;
import dev.loxiharness.loxilb.bgp.GobgpClient;
import dev.loxiharness.loxilb.rules.RuleError;
import dev.loxiharness.loxilb.rules.RuleException;
import dev.loxiharness.loxilb.wire.Ipv4;
import dev.loxiharness.loxilb.wire.SchemaException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Map;
import java.util.function.Supplier;

/** Upstream's BGP paths under /netlox/v1/config/bgp, served by the {@link BgpSpeaker}. */
public final class BgpRestApi implements RestApi.BgpApi {
    private final BgpSpeaker speaker;

    public BgpRestApi(BgpSpeaker speaker) {
        this.speaker = speaker;
    }

    /** Upstream's BGPNeighGetEntry. */
    @JsonPropertyOrder(alphabetic = true)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record NeighbourEntry(@JsonProperty("ipAddress") String ipAddress, @JsonProperty("remoteAs") long remoteAs,
                                 @JsonProperty("state") String state, @JsonProperty("updowntime") String updowntime) {
    }

    /** Upstream's BGPNeigh (POST). */
    public static class NeighbourBody {
        @JsonProperty("ipAddress")
        public String ipAddress;
        @JsonProperty("remoteAs")
        public Long remoteAs;
        @JsonProperty("remotePort")
        public Long remotePort;
        @JsonProperty("setMultiHop")
        public Boolean setMultiHop;
    }

    /** Upstream's BGPGlobalConfig (POST). */
    public static class GlobalBody {
        @JsonProperty("localAs")
        public Long localAs;
        @JsonProperty("routerId")
        public String routerId;
        @JsonProperty("listenPort")
        public Long listenPort;
        @JsonProperty("SetNextHopSelf")
        public Boolean setNextHopSelf;
    }

    @Override
    public void register(RestApi api, Javalin app) {
        api.route(app, HandlerType.GET, "/config/bgp/neigh/all", ctx -> grpc(() -> ctx.json(Map.of("bgpNeiAttr",
                speaker.client().peers().stream().map(p -> new NeighbourEntry(p.address(), p.remoteAs(), p.state(),
                        GobgpClient.updown(p.since()))).toList()))));
        api.route(app, HandlerType.POST, "/config/bgp/neigh", this::postNeighbour);
        api.route(app, HandlerType.DELETE, "/config/bgp/neigh/{ip}", this::deleteNeighbour);
        api.route(app, HandlerType.POST, "/config/bgp/global", this::postGlobal);
    }

    private void postNeighbour(Context ctx) {
        NeighbourBody b = RestApi.body(ctx, NeighbourBody.class);
        SchemaException.require(b.ipAddress, "ipAddress in body");
        SchemaException.require(b.remoteAs, "remoteAs in body");
        if (!Ipv4.isAddress(b.ipAddress)) {
            throw new RuleException(RuleError.MALFORMED_SERVICE, "neighbour address " + b.ipAddress);
        }
        if (b.remoteAs <= 0 || b.remoteAs > 4294967295L) {
            throw new RuleException(RuleError.SERVICE_ARGS, "remoteAs " + b.remoteAs);
        }
        long port = b.remotePort == null ? 179 : b.remotePort;
        if (port <= 0 || port > 65535) {
            throw new RuleException(RuleError.PORT_RANGE, "remotePort " + port);
        }
        grpc(() -> speaker.addNeighbour(new BgpSpeaker.Neighbour(b.ipAddress, b.remoteAs, (int) port,
                Boolean.TRUE.equals(b.setMultiHop))));
        RestApi.success(ctx);
    }

    private void deleteNeighbour(Context ctx) {
        String ip = ctx.pathParam("ip");
        SchemaException.require(ctx.queryParam("remoteAs"), "remoteAs in query");
        if (!Ipv4.isAddress(ip)) {
            throw new RuleException(RuleError.MALFORMED_SERVICE, "neighbour address " + ip);
        }
        boolean known = grpcValue(() -> speaker.client().peers().stream().anyMatch(p -> p.address().equals(ip)));
        if (!known) {
            throw new RuleException(RuleError.NO_NEIGHBOUR, "no neighbour " + ip);
        }
        grpc(() -> speaker.deleteNeighbour(ip));
        RestApi.success(ctx);
    }

    private void postGlobal(Context ctx) {
        GlobalBody b = RestApi.body(ctx, GlobalBody.class);
        SchemaException.require(b.localAs, "localAs in body");
        SchemaException.require(b.routerId, "routerId in body");
        if (!Ipv4.isAddress(b.routerId) || b.localAs <= 0 || b.localAs > 4294967295L) {
            throw new RuleException(RuleError.SERVICE_ARGS, "localAs " + b.localAs + " routerId " + b.routerId);
        }
        long port = b.listenPort == null || b.listenPort == 0 ? 179 : b.listenPort;
        grpc(() -> speaker.setGlobal(new BgpSpeaker.GlobalConfig(b.localAs, b.routerId, (int) port)));
        RestApi.success(ctx);
    }

    private static void grpc(Runnable r) {
        grpcValue(() -> {
            r.run();
            return null;
        });
    }

    /** gobgpd's refusals become upstream-style errors: unknown peer 404, duplicate 409, down 503. */
    private static <T> T grpcValue(Supplier<T> s) {
        try {
            return s.get();
        } catch (StatusRuntimeException e) {
            String why = String.valueOf(e.getStatus().getDescription());
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                throw new RuleException(RuleError.DATAPLANE, "gobgpd is not answering (" + why + ")");
            }
            if (why.contains("already exists") || why.contains("can't overwrite")) {
                throw new RuleException(RuleError.NEIGHBOUR_EXISTS, why);
            }
            if (why.contains("can't find") || why.contains("not found")) {
                throw new RuleException(RuleError.NO_NEIGHBOUR, why);
            }
            throw new RuleException(RuleError.BGP_ARGS, why);
        }
    }

}
