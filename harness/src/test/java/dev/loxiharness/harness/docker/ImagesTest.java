package dev.loxiharness.harness.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

    @Test
    void theContextDigestIsRememberedBesideTheContextAndFollowsAChange(@TempDir Path target) throws IOException {
        Path context = Files.createDirectories(target.resolve("docker"));
        Files.writeString(context.resolve("Dockerfile"), "FROM base\n");
        String first = Images.contextDigest(context);
        assertThat(first).isEqualTo(Images.digestOf(context));
        assertThat(target.resolve("docker.digest")).exists();
        assertThat(Images.contextDigest(context)).isEqualTo(first);
        Files.writeString(context.resolve("Dockerfile"), "FROM base\nRUN true\n");
        assertThat(Images.contextDigest(context)).isNotEqualTo(first).isEqualTo(Images.digestOf(context));
    }
}
