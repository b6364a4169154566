package dev.sancho.maven.plan;

import dev.sancho.maven.compose.Service;

/** A service with its role and the exact container name it gets in this deploy. */
public record StackService(Service service, Role role, String containerName) {
    public String name() {
        return service.name();
    }

    public boolean infra() {
        return role == Role.INFRA;
    }
}
