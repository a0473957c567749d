package dev.loxiharness.harness.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The parts of {@link Images} that need no Docker engine: names, remedies, which images are ours. */
class ImagesTest {

    @Test
    void aReferenceHasOneSpellingSoPresenceIsAnExactTagMatch() {
        assertThat(Images.normalize("nginx")).isEqualTo("nginx:latest");
        assertThat(Images.normalize("docker.io/library/nginx:1.25")).isEqualTo("nginx:1.25");
        assertThat(Images.normalize("docker.io/calico/node:v3.26.1")).isEqualTo("calico/node:v3.26.1");
        assertThat(Images.normalize("localhost:5000/x")).isEqualTo("localhost:5000/x:latest");
        assertThat(Images.normalize("kindest/node@sha256:abc")).isEqualTo("kindest/node@sha256:abc");
    }

    @Test
    void bothOfOurImagesAreKnownByRepositoryBareOrLatest() {
        assertThat(OurImage.named("loxiharness/loxilb")).contains(OurImage.LOXILB);
        assertThat(OurImage.named("loxiharness/loxi-ccm:latest")).contains(OurImage.LOXI_CCM);
        assertThat(OurImage.named("loxiharness/loxi-ccm:98c8f326c9e4")).isEmpty();
        assertThat(OurImage.named("ghcr.io/loxilb-io/loxilb:latest")).isEmpty();
    }

    @Test
    void theRemedyForAnyOtherImageIsPullOrSaveThenLoadAFolder() {
        assertThat(Images.remedy("calico/node:v3.26.1"))
                .contains("docker pull calico/node:v3.26.1")
                .contains("docker save calico/node:v3.26.1 -o calico_node_v3.26.1.tar")
                .contains("./topology images load DIR");
        assertThat(Images.remedy("loxiharness/loxi-ccm")).contains("./topology images builds it").contains("controller/target/docker");
    }
}
