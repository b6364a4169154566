package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.ComposeFile;
import dev.sancho.maven.compose.ComposeLoader;
import dev.sancho.maven.compose.Fixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's own checks point at the file a value was written in when several files make the stack. */
class MergedFilesStackTest {

    @TempDir
    Path dir;

    private ComposeFile load(String base, String override) {
        Path a = Fixtures.write(dir, "docker-compose.yml", base);
        Path b = Fixtures.write(dir, "docker-compose.override.yml", override);
        return ComposeLoader.load(List.of(a, b), null, Map.of(), Map.of(), ComposeLoader.builtins("42", "shop"),
                Map.of(), Log.NONE);
    }

    private static StackConfig config(String... infrastructure) {
        return new StackConfig("shop", "shop", "42", Set.of(infrastructure), null);
    }

    @Test
    void aWarningAboutAKeyOfTheOverrideNamesTheOverride() {
        Stack stack = StackResolver.resolve(load("services:\n  web:\n    image: w\n",
                "services:\n  web:\n    container_name: shop_web\n"), config());
        assertEquals(List.of("docker-compose.override.yml:3: services.web.container_name: \"shop_web\" is fixed, but web"
                + " is an application service and gets a new container every deploy; it is named shop_web_42 and answers to shop_web as a network alias (add"
                + " ${DEPLOY_ID} to container_name, or list web under <infrastructure> to keep the fixed name)"),
                stack.warnings());
    }

    @Test
    void anErrorAboutAServiceOfTheOverrideNamesTheOverride() {
        ComposeException e = assertThrows(ComposeException.class, () -> StackResolver.resolve(load(
                "services:\n  web:\n    image: w\n", "\n\nservices:\n  db:\n    image: postgres\n"
                        + "    container_name: db_${DEPLOY_ID}\n"), config("db")));
        assertEquals("docker-compose.override.yml:6: services.db.container_name: \"db_${DEPLOY_ID}\" depends on"
                + " DEPLOY_ID, but db is infrastructure and must keep its name across deploys; give it a fixed"
                + " container_name, or remove it from <infrastructure>", e.getMessage());
    }
}
