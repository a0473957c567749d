package dev.loxiharness.controller.k8s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about Services (what {@code kubectl describe svc} shows). The same reason
 * and message for the same object is written once until something else is reported or it is cleared,
 * so a Service that stays pending does not flood the API server.
 */
final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final String component;
    private final Map<String, String> last = new ConcurrentHashMap<>();

    EventRecorder(KubernetesClient client, String component) {
        this.client = client;
        this.component = component;
    }

    void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    /** Forgets what was reported about the Service {@code key} ({@code namespace/name}). */
    void clear(String key) {
        last.remove("Service/" + key);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        String ns = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        String kind = object.getKind() == null ? "Service" : object.getKind();
        String key = kind + "/" + ns + "/" + name;
        String what = type + "/" + reason + "/" + message;
        if (Objects.equals(last.put(key, what), what)) {
            return;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(name + "." + Long.toHexString(System.currentTimeMillis()) + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
                    .withNamespace(ns)
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(object.getApiVersion() == null ? "v1" : object.getApiVersion())
                    .withKind(kind)
                    .withNamespace(ns)
                    .withName(name)
                    .withUid(object.getMetadata().getUid())
                    .withResourceVersion(object.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withNewSource().withComponent(component).endSource()
                .withReportingComponent(component)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(event).create();
        } catch (RuntimeException e) {
            LOG.warn("could not write Event {} for {}: {}", reason, key, e.getMessage());
            last.remove(key);
        }
    }
}
