package dev.sancho.maven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sancho.maven.docker.ContainerInfo;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A backup's scratch container is removable by the same kind of rule as the lock: name, role, project, identity. */
class ScratchSafetyTest {
    private static final Set<String> INFRA = Set.of("shop_db", "shop_sancho_backup_db");

    private static ContainerInfo c(String name, Map<String, String> labels) {
        return new ContainerInfo("id-" + name, name, "postgres:15", "sha256:1", "running", null, null, labels,
                Instant.EPOCH, List.of(), Map.of());
    }

    private static Map<String, String> labels(String project, String role, String identity) {
        Map<String, String> m = new HashMap<>();
        m.put(Labels.PROJECT, project);
        m.put(Labels.ROLE, role);
        if (identity != null) {
            m.put(Labels.IDENTITY, identity);
        }
        return m;
    }

    @Test
    void onlyThisProjectsLabelledScratchContainerIsRemovable() {
        String name = Safety.scratchName("shop", "db-20261207-151200-123");
        assertEquals("shop_sancho_backup_db-20261207-151200-123", name);
        assertTrue(Safety.removableScratch(c(name, labels("shop", Labels.ROLE_BACKUP_SCRATCH, "id1")), "shop", "id1",
                INFRA));
        // another identity, another project, another role, a foreign name, an infrastructure name: never
        assertFalse(Safety.removableScratch(c(name, labels("shop", Labels.ROLE_BACKUP_SCRATCH, "id2")), "shop", "id1",
                INFRA));
        assertFalse(Safety.removableScratch(c(name, labels("shop2", Labels.ROLE_BACKUP_SCRATCH, "id1")), "shop",
                "id1", INFRA));
        assertFalse(Safety.removableScratch(c(name, labels("shop", "app", "id1")), "shop", "id1", INFRA));
        assertFalse(Safety.removableScratch(c("shop_db", labels("shop", Labels.ROLE_BACKUP_SCRATCH, "id1")), "shop",
                "id1", INFRA));
        assertFalse(Safety.removableScratch(c("shop_sancho_backup_db", labels("shop", Labels.ROLE_BACKUP_SCRATCH,
                "id1")), "shop", "id1", INFRA));
        assertFalse(Safety.removableScratch(c("shop_sancho_backup_Db X", labels("shop", Labels.ROLE_BACKUP_SCRATCH,
                "id1")), "shop", "id1", INFRA));
        assertFalse(Safety.removableScratch(c("xshop_sancho_backup_db-1", labels("shop", Labels.ROLE_BACKUP_SCRATCH,
                "id1")), "shop", "id1", INFRA));
        assertThrows(IllegalStateException.class, () -> Safety.requireRemovableScratch(c("shop_db",
                labels("shop", Labels.ROLE_BACKUP_SCRATCH, "id1")), "shop", "id1", INFRA));
        // and an application container is still not removable as a scratch one, nor a scratch one as an app
        assertFalse(Safety.removable(c(name, labels("shop", Labels.ROLE_BACKUP_SCRATCH, "id1")), "shop", "id1",
                INFRA));
    }
}
