package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.compose.Service.Mount;
import dev.sancho.maven.compose.Service.PortMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several files make one stack: the override file Compose finds next to the main one, or a list of files, merged in
 * order; {@code !reset} and {@code !override}; every message names the file a value was written in.
 */
class ComposeFilesTest {

    @TempDir
    Path dir;

    private final Fixtures.RecordingLog log = new Fixtures.RecordingLog();

    private ComposeFile load(List<Path> files, Map<String, String> env) {
        return ComposeLoader.load(files, null, env, Map.of(), ComposeLoader.builtins(Fixtures.DEPLOY_ID, "shop"),
                Fixtures.POM, log);
    }

    private ComposeFile load(Path... files) {
        return load(List.of(files), Map.of());
    }

    private Path write(String name, String yaml) {
        return Fixtures.write(dir, name, yaml);
    }

    private static final String BASE = """
            services:
              web:
                image: shop/web:1
                environment:
                  MODE: prod
                ports:
                  - "8080:80"
            """;

    // -------------------------------------------------------------------------------------- discovery

    @Test
    void withoutAFileNamedComposeFindsTheMainFileAndItsOverrideNextToIt() {
        Path main = write("docker-compose.yml", BASE);
        Path override = write("docker-compose.override.yml", "services:\n  web:\n    environment:\n      MODE: dev\n");
        assertEquals(List.of(main, override), ComposeFiles.discover(dir, log));
        assertEquals(List.of(), log.warnings);

        ComposeFile c = load(ComposeFiles.discover(dir, log), Map.of());
        assertEquals("dev", c.services().get("web").environment().get("MODE"));
        assertEquals(List.of(main, override), c.provenance().files());
    }

    @Test
    void theOverrideFileMayHaveAnyOfComposesNames() {
        Path main = write("compose.yaml", BASE);
        Path override = write("compose.override.yaml", "services: {}\n");
        assertEquals(List.of(main, override), ComposeFiles.discover(dir, log));
    }

    @Test
    void severalCandidatesAreAWarningAndComposesFirstChoiceIsUsed() {
        Path compose = write("compose.yaml", BASE);
        write("docker-compose.yml", BASE);
        Path override = write("compose.override.yml", "services: {}\n");
        write("docker-compose.override.yml", "services: {}\n");
        assertEquals(List.of(compose, override), ComposeFiles.discover(dir, log));
        assertEquals(List.of("found several compose files in " + dir + ": compose.yaml, docker-compose.yml; using"
                        + " compose.yaml (like Compose)", "found several override files in " + dir
                        + ": compose.override.yml, docker-compose.override.yml; using compose.override.yml (like Compose)"),
                log.warnings);
    }

    @Test
    void aDirectoryWithoutComposeFileHasNone() {
        write("docker-compose.override.yml", BASE);
        assertEquals(List.of(), ComposeFiles.discover(dir, log));
    }

    // -------------------------------------------------------------------------------------- a list

    @Test
    void filesAreMergedInTheOrderGivenTheLastOneWinning() {
        Path a = write("a.yml", BASE);
        Path b = write("b.yml", "services:\n  web:\n    image: shop/web:2\n    environment:\n      LOG: debug\n");
        Path c = write("c.yml", "services:\n  web:\n    image: shop/web:3\n    ports: [\"8443:443\"]\n");
        Service web = load(a, b, c).services().get("web");
        assertEquals("shop/web:3", web.image());
        assertEquals(Map.of("MODE", "prod", "LOG", "debug"), web.environment());
        assertEquals(List.of(new PortMapping(null, "8080", "80", "tcp"), new PortMapping(null, "8443", "443", "tcp")),
                web.ports());
    }

    @Test
    void relativePathsOfEveryFileResolveAgainstTheFirstFilesDirectoryLikeCompose() {
        Path a = write("docker-compose.yml", BASE);
        Path prod = write("deploy/prod.yml", "services:\n  web:\n    volumes:\n      - ./data:/data\n");
        assertEquals(List.of(Fixtures.shortBind(dir.resolve("data").toString(), "/data", false)),
                load(a, prod).services().get("web").volumes());
    }

    @Test
    void theEnvFileOfTheFirstFilesDirectoryServesEveryFile() {
        Path a = write("docker-compose.yml", BASE);
        write(".env", "TAG=7\n");
        Path b = write("deploy/prod.yml", "services:\n  web:\n    image: shop/web:${TAG}\n");
        assertEquals("shop/web:7", load(a, b).services().get("web").image());
    }

    @Test
    void aServiceOnlyInTheOverrideIsAtItsLineThere() {
        Path a = write("docker-compose.yml", BASE);
        Path b = write("docker-compose.override.yml", "services:\n  adminer:\n    image: adminer\n");
        ComposeFile c = load(a, b);
        Service adminer = c.services().get("adminer");
        assertEquals(2, adminer.line());
        assertEquals("docker-compose.override.yml", c.file(adminer));
        assertEquals("docker-compose.yml", c.file(c.services().get("web")));
    }

    @Test
    void anEmptyOverrideChangesNothing() {
        Path a = write("docker-compose.yml", BASE);
        Path b = write("docker-compose.override.yml", "# nothing to override yet\n");
        assertEquals("shop/web:1", load(a, b).services().get("web").image());
    }

    // -------------------------------------------------------------------------------- !reset, !override

    @Test
    void resetRemovesWhatEarlierFilesSet() {
        Path a = write("docker-compose.yml", BASE + "    command: [\"serve\"]\n    labels:\n      tier: web\n");
        Path b = write("docker-compose.override.yml", """
                services:
                  web:
                    ports: !reset []
                    command: !reset null
                    environment:
                      MODE: !reset null
                      DEBUG: "1"
                """);
        Service web = load(a, b).services().get("web");
        assertEquals(List.of(), web.ports());
        assertNull(web.command());
        assertEquals(Map.of("DEBUG", "1"), web.environment());
        assertEquals(Map.of("tier", "web"), web.labels());
    }

    @Test
    void resetCanRemoveAWholeServiceOfAnEarlierFile() {
        Path a = write("docker-compose.yml", BASE + "  debug:\n    image: busybox\n");
        Path b = write("docker-compose.override.yml", "services:\n  debug: !reset {}\n");
        assertEquals(List.of("web"), List.copyOf(load(a, b).services().keySet()));
    }

    @Test
    void overrideReplacesInsteadOfMerging() {
        Path a = write("docker-compose.yml", BASE);
        Path b = write("docker-compose.override.yml", """
                services:
                  web:
                    ports: !override
                      - "8443:443"
                    environment: !override
                      LOG: info
                """);
        Service web = load(a, b).services().get("web");
        assertEquals(List.of(new PortMapping(null, "8443", "443", "tcp")), web.ports());
        assertEquals(Map.of("LOG", "info"), web.environment());
    }

    // ------------------------------------------------------------------------------ messages name the file

    @Test
    void anErrorInTheOverrideNamesTheOverrideFileAndLine() {
        Path a = write("docker-compose.yml", BASE);
        Path b = write("docker-compose.override.yml", """
                services:
                  web:
                    ports:
                      - "99999:80"
                """);
        ComposeException e = assertThrows(ComposeException.class, () -> load(a, b));
        assertEquals("docker-compose.override.yml:4: services.web.ports[1]: host port \"99999\" is out of range:"
                + " ports are 1-65535, ranges low-high", e.getMessage());
    }

    @Test
    void aServiceTheOverrideAddsWithoutImageIsReportedThere() {
        Path a = write("docker-compose.yml", BASE);
        Path b = write("docker-compose.override.yml", "services:\n  web:\n    user: app\n  tools:\n    user: me\n");
        ComposeException e = assertThrows(ComposeException.class, () -> load(a, b));
        assertEquals("docker-compose.override.yml:4: services.tools: has no image: and no build: (add image:"
                + " name:tag, or build: ./dir)", e.getMessage());
    }

    @Test
    void warningsNameTheFileTheyAreAboutInFileOrder() {
        Path a = write("docker-compose.yml", BASE + "    colour: blue\n");
        Path b = write("docker-compose.override.yml", """
                services:
                  web:
                    image: shop/web:${WEB_TAG}
                    flavour: mint
                """);
        load(a, b);
        assertEquals(List.of(
                "docker-compose.yml:8: services.web.colour: unknown key; ignored (check the spelling)",
                "docker-compose.override.yml:3: services.web.image: variable WEB_TAG is not set; using an empty string",
                "docker-compose.override.yml:4: services.web.flavour: unknown key; ignored (check the spelling)"),
                log.warnings);
    }

    @Test
    void mergingAListIntoAMappingIsAnErrorNamingBothPlaces() {
        Path a = write("docker-compose.yml", BASE);
        Path b = write("docker-compose.override.yml", "services:\n  web:\n    ports:\n      http: 80\n");
        ComposeException e = assertThrows(ComposeException.class, () -> load(a, b));
        assertEquals("docker-compose.override.yml:4: services.web.ports: is a mapping here but a list in"
                + " docker-compose.yml:7, and Compose cannot merge the two (write both the same way, or tag this one"
                + " !override to replace the earlier one)", e.getMessage());
    }

    @Test
    void theKeyFilesTellLaterChecksWhereAValueWasWritten() {
        Path a = write("docker-compose.yml", BASE);
        Path b = write("docker-compose.override.yml", "services:\n  web:\n    container_name: shop_web\n");
        ComposeFile c = load(a, b);
        Service web = c.services().get("web");
        assertEquals("docker-compose.override.yml", c.file(web, "container_name"));
        assertEquals(3, web.line("container_name"));
        assertEquals("docker-compose.yml", c.file(web, "image"));
        assertEquals("docker-compose.yml", c.file(web, "restart"), "a key without line is at the service");
    }

    @Test
    void aMissingFileOfTheListIsReportedLikeAMissingComposeFile() {
        Path a = write("docker-compose.yml", BASE);
        Path missing = dir.resolve("prod.yml");
        ComposeException e = assertThrows(ComposeException.class, () -> load(a, missing));
        assertTrue(e.getMessage().startsWith("compose file " + missing + " does not exist"), e.getMessage());
    }
}
