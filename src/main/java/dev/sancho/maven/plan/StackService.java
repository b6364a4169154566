package dev.sancho.maven.plan;

import dev.sancho.maven.compose.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * A service with its role and the exact container name it gets in this deploy.
 *
 * @param containerName the name of its (first) container
 * @param replicas      how many containers the service gets per deploy ({@code deploy.replicas}/{@code scale}); 1
 *                      for infrastructure
 */
public record StackService(Service service, Role role, String containerName, int replicas) {
    public StackService {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, not " + replicas);
        }
    }

    public StackService(Service service, Role role, String containerName) {
        this(service, role, containerName, 1);
    }

    public String name() {
        return service.name();
    }

    public boolean infra() {
        return role == Role.INFRA;
    }

    /**
     * The names of its containers: replica 1 keeps the plain name (a service without replicas is named as it always
     * was), replica {@code i > 1} gets the suffix {@code _i}: {@code shop_backend_42}, {@code shop_backend_42_2}.
     */
    public List<String> containerNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            names.add(replicaName(containerName, i));
        }
        return List.copyOf(names);
    }

    static String replicaName(String first, int replica) {
        return replica == 1 ? first : first + "_" + replica;
    }
}
