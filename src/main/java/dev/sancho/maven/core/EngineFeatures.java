package dev.sancho.maven.core;

import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.ComposeException;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;

/**
 * Compose keys the engine at hand is too old for. Like Compose v2, sancho then leaves the setting out (the adapter
 * does) and says so once per service, at the key's {@code file:line}.
 */
final class EngineFeatures {
    private EngineFeatures() {}

    static void warnUnsupported(DockerEngine engine, Stack stack, Log log) {
        boolean any = stack.services().stream().anyMatch(s -> s.service().options().healthStartInterval() != null);
        String api = any ? engine.apiVersion() : null;
        if (api == null || atLeast(api, 1, 44)) {
            return;
        }
        for (StackService s : stack.services()) {
            if (s.service().options().healthStartInterval() != null) {
                String key = "healthcheck.start_interval";
                log.warn(new ComposeException(stack.compose().file(s.service(), key),
                        s.service().line(key), "services." + s.name() + "." + key, "needs Docker Engine API 1.44"
                                + " (Engine 25) or later; this engine speaks " + api + ", so it is not applied").getMessage());
            }
        }
    }

    /**
     * Keys an engine too old for them would ignore in a way that puts data elsewhere: {@code volume.subpath} (API
     * 1.45) left out mounts the WHOLE volume where the user asked for one sub-directory. Refused at the key's
     * {@code file:line} before anything is built or changed.
     */
    static void refuseUnsupported(DockerEngine engine, Stack stack) {
        String api = null;
        for (StackService s : stack.services()) {
            for (Service.Mount m : s.service().volumes()) {
                if (m.options().subpath() == null) {
                    continue;
                }
                api = api != null ? api : engine.apiVersion();
                if (api != null && !atLeast(api, 1, 45)) {
                    throw new ComposeException(stack.compose().file(s.service(), "volumes"), s.service().line("volumes"),
                            "services." + s.name() + ".volumes", "volume.subpath " + m.options().subpath()
                                    + " needs Docker Engine API 1.45 (Engine 26) or later; this engine speaks " + api
                                    + " and would mount the whole volume " + m.source() + " at " + m.target()
                                    + ": refused, nothing was changed");
                }
            }
        }
    }

    static boolean atLeast(String version, int major, int minor) {
        try {
            String[] parts = version.trim().split("\\.");
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (RuntimeException e) {
            return true; // unknown: let the engine decide
        }
    }
}
