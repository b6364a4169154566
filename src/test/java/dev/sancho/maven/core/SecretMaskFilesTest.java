package dev.sancho.maven.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sancho.maven.compose.Fixtures;
import dev.sancho.maven.plan.StackConfig;
import dev.sancho.maven.plan.StackResolver;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secret copied in from an environment: source is masked in container output whatever its variable is called. */
class SecretMaskFilesTest {
    @TempDir
    Path dir;

    @Test
    void theContentOfAnEnvironmentSecretIsMaskedInContainerOutput() {
        var compose = Fixtures.inline(dir, "services:\n  api:\n    image: app:1\n    secrets: [greeting]\n"
                + "    configs: [motd]\nsecrets:\n  greeting:\n    environment: HELLO\nconfigs:\n  motd:\n"
                + "    content: public-banner\n", Map.of("HELLO", "zz-hidden-77"));
        var stack = StackResolver.resolve(compose, new StackConfig("shop", "inventario", "d1", Set.of(), null));
        assertEquals("read ****** and public-banner",
                SecretMask.of(stack).apply("read zz-hidden-77 and public-banner").replaceAll("\\*+", "******"));
    }
}
