package dev.sancho.maven.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relative paths of an included project or of an {@code extends} base become absolute against their own
 * directory, for the keys Compose resolves; everything else is left as written.
 */
class RelativePathsTest {
    private static final Path DIR = Path.of("/srv/shop/infra");

    private final Origins origins = new Origins();
    private final Source src = new Source("compose.yml", Path.of("/srv/shop"), name -> null, Map.of(), origins);

    private Object resolve(String yaml) {
        YamlNode.Mapping m = (YamlNode.Mapping) YamlReader.read(yaml, "infra/compose.yml");
        origins.record(m, "infra/compose.yml");
        return ComposeMergeTest.plain(RelativePaths.resolve(m, DIR, src));
    }

    @Test
    void theKeysComposeResolvesBecomeAbsolute() {
        Object resolved = resolve("""
                services:
                  db:
                    build: ./db
                    env_file:
                      - db.env
                      - path: ./more.env
                        required: false
                    label_file: labels.txt
                    volumes:
                      - ./init:/docker-entrypoint-initdb.d:ro
                      - ../shared:/shared
                      - data:/var/lib/data
                      - /etc/localtime:/etc/localtime:ro
                      - ~/cache:/cache
                      - type: bind
                        source: conf
                        target: /etc/db
                      - type: volume
                        source: data
                        target: /data
                  web:
                    build:
                      context: https://github.com/shop/web.git
                secrets:
                  db_password:
                    file: ./secrets/db_password.txt
                configs:
                  pg_hba:
                    file: /etc/shop/pg_hba.conf
                volumes:
                  data:
                    driver: local
                    driver_opts:
                      type: none
                      o: bind
                      device: ./data
                """);
        assertEquals(Map.of(
                "services", Map.of(
                        "db", Map.of(
                                "build", "/srv/shop/infra/db",
                                "env_file", List.of("/srv/shop/infra/db.env",
                                        Map.of("path", "/srv/shop/infra/more.env", "required", "false")),
                                "label_file", "/srv/shop/infra/labels.txt",
                                "volumes", List.of("/srv/shop/infra/init:/docker-entrypoint-initdb.d:ro",
                                        "/srv/shop/infra/../shared:/shared", "data:/var/lib/data",
                                        "/etc/localtime:/etc/localtime:ro", "~/cache:/cache",
                                        Map.of("type", "bind", "source", "/srv/shop/infra/conf", "target", "/etc/db"),
                                        Map.of("type", "volume", "source", "data", "target", "/data"))),
                        "web", Map.of("build", Map.of("context", "https://github.com/shop/web.git"))),
                "secrets", Map.of("db_password", Map.of("file", "/srv/shop/infra/secrets/db_password.txt")),
                "configs", Map.of("pg_hba", Map.of("file", "/etc/shop/pg_hba.conf")),
                "volumes", Map.of("data", Map.of("driver", "local", "driver_opts",
                        Map.of("type", "none", "o", "bind", "device", "/srv/shop/infra/data")))), resolved);
    }

    @Test
    void aLiteralValueStaysLiteral() {
        assertEquals("a$$b${DEPLOY_ID}-c", ComposeModel.escape("a$b\u0000DEPLOY_ID\u0000-c"));
    }
}
