package dev.sancho.maven.core;

import dev.sancho.maven.common.CheckFailedException;
import dev.sancho.maven.common.ConfigException;
import dev.sancho.maven.common.Log;
import dev.sancho.maven.compose.Service;
import dev.sancho.maven.compose.VolumeDef;
import dev.sancho.maven.docker.ContainerInfo;
import dev.sancho.maven.docker.DockerEngine;
import dev.sancho.maven.docker.DockerOperationException;
import dev.sancho.maven.docker.ExecResult;
import dev.sancho.maven.plan.ContainerSpecs;
import dev.sancho.maven.plan.DeployHistory;
import dev.sancho.maven.plan.Labels;
import dev.sancho.maven.plan.Stack;
import dev.sancho.maven.plan.StackService;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The runbook's verification commands as checks that can fail a build: infrastructure running by exact name,
 * data volumes present and mounted where the compose file says, bind-mounted directories present (and
 * {@code acme.json} private), the current deploy running and healthy, and the user's probes. Read-only.
 *
 * <p>Usage (also from {@code sancho:deploy}):
 * <pre>{@code
 * Verifier.Report report = Verifier.verify(engine, stack, VerifyOptions.defaults(), log); // logs the table
 * report.requireOk(); // CheckFailedException naming every failed check
 * }</pre>
 */
public final class Verifier {
    static final String OK = "✔";
    static final String FAIL = "✘";
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private Verifier() {}

    /** Runs every check, logs the table, never throws for a failed check (see {@link Report#requireOk()}). */
    /** Bind sources can only be checked when they are on this machine's file system (a local engine). */
    public static boolean bindSourcesAreLocal(String engineAddress) {
        return engineAddress == null || engineAddress.startsWith("unix://") || engineAddress.startsWith("npipe://");
    }

    public static Report verify(DockerEngine engine, Stack stack, VerifyOptions options, Log log) {
        List<Check> checks = new ArrayList<>();
        List<Check> deployChecks = new ArrayList<>(); // shown after infrastructure, the order of the runbook
        DeployHistory history = StateReader.history(engine, stack.project());
        Optional<DeployHistory.Deploy> current = currentDeploy(stack, history, options, deployChecks);

        Set<String> volumesSeen = new LinkedHashSet<>();
        Set<Path> bindsSeen = new LinkedHashSet<>();
        for (StackService s : stack.infrastructure()) {
            Optional<ContainerInfo> c = engine.findContainer(s.containerName())
                    .flatMap(found -> engine.inspectContainer(found.id()));
            checks.add(containerCheck("infra", s.containerName(), c.orElse(null), true));
            mountChecks(engine, stack, s, c.orElse(null), options, volumesSeen, bindsSeen, checks);
        }
        checks.addAll(CertificateChecks.verify(engine, stack, log, java.time.Instant.now()));
        checks.addAll(deployChecks);
        Set<String> jobs = stack.jobs();
        for (StackService s : stack.applications()) {
            if (current.isEmpty()) {
                break;
            }
            List<ContainerInfo> replicas = current.get().containers(s.name());
            if (replicas.isEmpty()) {
                checks.add(fail("app", "service " + s.name(), "deploy " + current.get().id()
                        + " has no container for this service (was it added to the compose file after that deploy?)"));
                continue;
            }
            if (replicas.size() < s.replicas()) {
                checks.add(fail("app", "service " + s.name(), "deploy " + current.get().id() + " has "
                        + replicas.size() + " of its " + s.replicas() + " replicas (deploy again to get all)"));
            }
            for (ContainerInfo found : replicas) {
                Optional<ContainerInfo> c = engine.inspectContainer(found.id());
                if (c.isEmpty()) {
                    checks.add(fail("app", found.name(), "is gone (removed while verify ran?)"));
                    continue;
                }
                checks.add(jobs.contains(s.name()) ? jobCheck(c.get())
                        : containerCheck("app", c.get().name(), c.get(), false));
                mountChecks(engine, stack, s, c.get(), options, volumesSeen, bindsSeen, checks);
            }
        }
        current.ifPresent(cur -> history.runningOutside(cur.id()).forEach(c -> checks.add(fail("stray", c.name(),
                "running, but its deploy " + c.label(Labels.DEPLOY_ID) + " is not the current one (" + cur.id()
                        + (dev.sancho.maven.plan.DnsAliases.inDns(c)
                                ? "): two versions answer behind one name"
                                : "; it answers to no service name, left by an interrupted deploy or cutover)")
                        + ". mvn sancho:deploy stops it at its cutover; to stop it now: docker update --restart=no "
                        + c.name() + " && docker stop " + c.name()))));
        checks.addAll(servingChecks(engine, stack, current));
        if (options.backupMaxAge() != null) {
            checks.addAll(backupChecks(engine, stack, options.backupMaxAge(), log));
        }
        for (VerifyOptions.Probe p : options.probes()) {
            checks.add(probe(engine, stack, current, p, options.maskedVariables()));
        }
        Report report = new Report(stack.project(), checks);
        log.info("sancho:verify — project " + stack.project() + ", " + checks.size() + " checks on "
                + engine.address());
        report.table().forEach(l -> log.info("  " + l));
        if (report.ok()) {
            log.info("All " + checks.size() + " checks passed.");
        }
        return report;
    }

    /**
     * What serves: on each network the compose file gives a service, its name resolves to exactly the containers
     * that should answer it (the current deploy's for an app service, the fixed-name container for infrastructure),
     * asked as a client asks ({@link DnsCheck}); an infrastructure container must be attached to each of its networks
     * (one recreated by hand with {@code docker run} is not), and its data volumes must not be mounted by another
     * running server.
     */
    static List<Check> servingChecks(DockerEngine engine, Stack stack, Optional<DeployHistory.Deploy> current) {
        List<Check> checks = new ArrayList<>();
        Set<String> preferred = new LinkedHashSet<>();
        stack.infrastructure().forEach(s -> preferred.add(s.containerName())); // in compose order
        current.ifPresent(d -> d.containers().forEach(c -> preferred.add(c.name())));
        DnsCheck dns = new DnsCheck(engine, preferred);
        for (StackService s : stack.infrastructure()) {
            ContainerInfo c = engine.findContainer(s.containerName()).orElse(null);
            if (c == null || !c.running()) {
                continue; // the infra check says so
            }
            ContainerSpecs.forService(stack, s).networks().forEach((network, aliases) -> {
                if (!c.networkAliases().containsKey(network)) {
                    String flags = String.join(" ", aliases.stream().map(a -> "--alias " + a).toList());
                    checks.add(fail("network", c.name(), "not attached to network " + network + ", so the other"
                            + " services cannot reach it as " + s.name() + " (recreated by hand without --network?):"
                            + " docker network connect " + (flags.isEmpty() ? "" : flags + " ") + network + " "
                            + c.name()));
                    return;
                }
                if (!aliases.isEmpty()) {
                    checks.add(nameCheck(dns, network, s.name(), List.of(c), "its infrastructure container"));
                }
            });
            for (String volume : dev.sancho.maven.plan.Planner.volumesOf(stack, s)) {
                Map<String, String> sharers = dev.sancho.maven.plan.Planner.sharers(stack, s, volume);
                for (ContainerInfo user : engine.containersUsingVolume(volume)) {
                    boolean writes = user.mounts().stream().anyMatch(m -> "volume".equals(m.type())
                            && volume.equals(m.source()) && !m.readOnly());
                    if (user.running() && writes && dev.sancho.maven.plan.Safety.secondServer(user, s.containerName(),
                            stack.project(), sharers)) {
                        checks.add(fail("server", volume, "also mounted by the running container " + user.name()
                                + " beside " + s.containerName() + ": two servers on one data volume corrupt it."
                                + " Stop it: docker stop " + user.name()));
                    }
                }
            }
        }
        if (current.isEmpty()) {
            return checks;
        }
        Set<String> jobs = stack.jobs();
        for (StackService s : stack.applications()) {
            List<ContainerInfo> serving = current.get().containers(s.name()).stream().filter(ContainerInfo::running)
                    .toList();
            if (jobs.contains(s.name()) || serving.isEmpty()) {
                continue;
            }
            ContainerSpecs.forService(stack, s).networks().forEach((network, aliases) -> {
                if (!aliases.isEmpty()) {
                    checks.add(nameCheck(dns, network, s.name(), serving, "deploy " + current.get().id()));
                }
            });
        }
        return checks;
    }

    /**
     * {@code sancho.backupMaxAge}: one row per infrastructure service with {@code x-sancho-backup}, failed when its
     * newest proven backup is older than {@code maxAge} or there is none. Ages are measured on the engine's clock,
     * the one that stamped the backups.
     */
    static List<Check> backupChecks(DockerEngine engine, Stack stack, java.time.Duration maxAge, Log log) {
        List<StackService> defined = Backups.defined(stack);
        if (defined.isEmpty()) {
            return List.of(fail("backup", stack.project(), "sancho.backupMaxAge requires proven backups, but no"
                    + " infrastructure service has x-sancho-backup in the compose file"));
        }
        List<BackupRecord> proven;
        try {
            proven = Backups.list(engine, stack, log);
        } catch (CheckFailedException | DockerOperationException e) {
            return defined.stream().map(s -> fail("backup", s.name(), "cannot read the proven backups in volume "
                    + Backups.volumeName(stack.project()) + ": " + e.getMessage())).toList();
        }
        java.time.Instant now = engine.clock();
        return defined.stream().map(s -> backupAge(s.name(), proven.stream()
                .filter(b -> s.name().equals(b.service())).findFirst(), maxAge, now)).toList();
    }

    /** The row for one service: its newest proven backup (the list is newest first), if any, against the limit. */
    static Check backupAge(String service, Optional<BackupRecord> newest, java.time.Duration maxAge,
            java.time.Instant now) {
        String limit = "sancho.backupMaxAge=" + age(maxAge);
        String take = " — mvn sancho:backup -Dsancho.services=" + service + " takes one";
        if (newest.isEmpty()) {
            return fail("backup", service, "none: no proven backup (" + limit + ")" + take);
        }
        java.time.Duration age = java.time.Duration.between(newest.get().takenAt(), now);
        String what = "newest proven " + newest.get().id() + " is " + age(age) + " old";
        return age.compareTo(maxAge) <= 0 ? pass("backup", service, what + " (" + limit + ")")
                : fail("backup", service, what + ", older than " + limit + take);
    }

    /** {@code 2d3h}, {@code 5h12m}, {@code 4m5s}, {@code 12s}: the two largest units, for a person to read. */
    static String age(java.time.Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86400;
        long h = s % 86400 / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        if (days > 0) {
            return days + "d" + (h > 0 ? h + "h" : "");
        }
        if (h > 0) {
            return h + "h" + (m > 0 ? m + "m" : "");
        }
        return m > 0 ? m + "m" + (sec > 0 ? sec + "s" : "") : sec + "s";
    }

    /** {@code name} on {@code network} resolves to exactly the addresses of {@code serving}. */
    private static Check nameCheck(DnsCheck dns, String network, String name, List<ContainerInfo> serving,
            String whose) {
        String subject = name + " on " + network;
        Set<String> want = new java.util.TreeSet<>();
        for (ContainerInfo c : serving) {
            Optional<String> ip = dns.address(network, c.id());
            if (ip.isEmpty()) {
                return fail("dns", subject, c.name() + " is not attached to " + network + ": docker network connect"
                        + " --alias " + name + " " + network + " " + c.name());
            }
            want.add(ip.get());
        }
        DnsCheck.Answer got = dns.resolve(network, name);
        if (got.addresses().equals(want)) {
            return pass("dns", subject, "resolves to " + dns.describe(network, want) + ", " + whose + " (" + got.via()
                    + ")");
        }
        Set<String> extra = new java.util.TreeSet<>(got.addresses());
        extra.removeAll(want);
        Set<String> missing = new java.util.TreeSet<>(want);
        missing.removeAll(got.addresses());
        List<String> parts = new ArrayList<>();
        if (got.addresses().isEmpty()) {
            parts.add("does not resolve");
        } else if (!extra.isEmpty()) {
            parts.add("also resolves to " + dns.describe(network, extra) + ": requests reach it too");
        }
        if (!missing.isEmpty()) {
            parts.add("not to " + dns.describe(network, missing) + " of " + whose);
        }
        String fix;
        if (!missing.isEmpty()) {
            String c = String.valueOf(dns.at(network, missing.iterator().next()));
            fix = "; to give it the name: docker network disconnect " + network + " " + c + " && docker network"
                    + " connect --alias " + name + " " + network + " " + c + " (mvn sancho:deploy or sancho:rollback"
                    + " does it for the deploy it starts)";
        } else {
            String c = String.valueOf(dns.at(network, extra.iterator().next()));
            fix = "; stop what must not answer (docker stop " + c + "), or take it off the name (docker network"
                    + " disconnect " + network + " " + c + ")";
        }
        return fail("dns", subject, String.join("; ", parts) + " (" + got.via() + ")" + fix);
    }

    private static Optional<DeployHistory.Deploy> currentDeploy(Stack stack, DeployHistory history,
            VerifyOptions options, List<Check> checks) {
        if (stack.applications().isEmpty()) {
            return history.current(); // an infrastructure-only stack (a shared proxy's project) has no deploys
        }
        if (options.expectedDeployId() != null) {
            Optional<DeployHistory.Deploy> d = history.find(options.expectedDeployId());
            if (d.isEmpty()) {
                checks.add(fail("deploy", options.expectedDeployId(), "no application container of project "
                        + stack.project() + " carries this deploy id" + known(history)));
                return Optional.empty();
            }
            if (!d.get().anyRunning()) {
                checks.add(fail("deploy", d.get().id(), "is " + d.get().state() + ", not running"
                        + history.current().map(c -> "; deploy " + c.id() + " is current").orElse("")));
            } else {
                checks.add(pass("deploy", d.get().id(), "current, deployed " + at(d.get())));
            }
            return d;
        }
        Optional<DeployHistory.Deploy> current = history.current();
        if (current.isEmpty()) {
            List<String> kept = history.kept().stream().map(DeployHistory.Deploy::id).toList();
            checks.add(fail("deploy", stack.project(), "no deploy is running (no running application container with"
                    + " label sancho.project=" + stack.project() + ")"
                    + (kept.isEmpty() ? "; run mvn sancho:deploy"
                            : "; stopped deploys: " + String.join(", ", kept) + " — mvn sancho:rollback starts the newest")));
        } else {
            checks.add(pass("deploy", current.get().id(), "current, deployed " + at(current.get())));
        }
        return current;
    }

    private static String known(DeployHistory history) {
        return history.deploys().isEmpty() ? " (no deploys found)"
                : " (known: " + history.deploys().stream().map(DeployHistory.Deploy::id)
                        .collect(Collectors.joining(", ")) + ")";
    }

    private static String at(DeployHistory.Deploy d) {
        return d.deployedAt() == null ? "at an unknown time" : d.deployedAt().toString();
    }

    /** Running, and healthy when the container has a healthcheck. */
    static Check containerCheck(String kind, String name, ContainerInfo c, boolean infra) {
        if (c == null) {
            return fail(kind, name, "missing: no container has exactly this name"
                    + (infra ? "; mvn sancho:recover recreates it on its existing volumes" : ""));
        }
        String state = c.state();
        if ("restarting".equals(state)) {
            return fail(kind, name, "restarting (crash loop?) — see docker logs " + name);
        }
        if ("paused".equals(state)) {
            return fail(kind, name, "paused — docker unpause " + name);
        }
        if ("created".equals(state)) {
            return fail(kind, name, "created but never started — docker start " + name);
        }
        if (!"running".equals(state)) {
            return fail(kind, name, "not running: " + state
                    + (c.exitCode() == null ? "" : " (exit code " + c.exitCode() + ")")
                    + " — docker logs " + name + ", then " + (infra ? "docker start " + name : "mvn sancho:deploy"));
        }
        if ("unhealthy".equals(c.health())) {
            return fail(kind, name, "running but unhealthy — docker inspect --format '{{json .State.Health}}' " + name);
        }
        if ("starting".equals(c.health())) {
            return fail(kind, name, "running, healthcheck has not passed yet (starting)");
        }
        return pass(kind, name, "healthy".equals(c.health()) ? "running, healthy" : "running (no healthcheck)");
    }

    /** A one-shot job of the deploy: done means exited with 0, not running. */
    private static Check jobCheck(ContainerInfo c) {
        if ("exited".equals(c.state()) && Integer.valueOf(0).equals(c.exitCode())) {
            return pass("job", c.name(), "completed (exit code 0)");
        }
        return fail("job", c.name(), ("exited".equals(c.state()) ? "exited with code " + c.exitCode() : c.state())
                + ", expected to have completed with exit code 0 — docker logs " + c.name());
    }

    private static void mountChecks(DockerEngine engine, Stack stack, StackService s, ContainerInfo c,
            VerifyOptions options, Set<String> volumesSeen, Set<Path> bindsSeen, List<Check> checks) {
        for (Service.Mount m : s.service().volumes()) {
            if ("volume".equals(m.type()) && m.source() != null) {
                String volume = stack.volumeNames().getOrDefault(m.source(), m.source());
                VolumeDef def = stack.compose().volumes().get(m.source());
                boolean external = def != null && def.external();
                boolean exists = engine.findVolume(volume).isPresent();
                if (volumesSeen.add(volume)) {
                    checks.add(exists ? pass("volume", volume, "exists" + (external ? " (external)" : ""))
                            : fail("volume", volume, "does not exist"
                                    + (external ? " — an external volume is never created by a deploy: restore it"
                                            + " from backup, or create it (mvn sancho:ensure-volume) if empty is intended"
                                            : " — the next deploy would create it EMPTY")));
                }
                if (c != null) {
                    checks.add(mountCheck(c, m.target(), "volume", volume, "volume " + volume));
                }
            } else if ("bind".equals(m.type()) && m.source() != null) {
                Path source = Path.of(m.source());
                if (bindsSeen.add(source)) {
                    bindChecks(stack, source, options, checks);
                }
                if (c != null) {
                    checks.add(mountCheck(c, m.target(), "bind", source.toString(), "bind " + display(stack, source)));
                }
            }
        }
    }

    static Check mountCheck(ContainerInfo c, String target, String type, String source, String what) {
        String subject = c.name() + ":" + target;
        Optional<ContainerInfo.MountInfo> at = c.mounts().stream().filter(mi -> target.equals(mi.destination()))
                .findFirst();
        if (at.isEmpty()) {
            return fail("mount", subject, "nothing is mounted at " + target + " (expected " + what
                    + "): the container writes into its own layer and loses it when recreated");
        }
        ContainerInfo.MountInfo mi = at.get();
        boolean same = type.equals(mi.type()) && ("bind".equals(type)
                ? Path.of(source).normalize().equals(Path.of(mi.source()).normalize()) : source.equals(mi.source()));
        if (!same) {
            String actual = "volume".equals(mi.type()) && mi.source() != null && mi.source().length() == 64
                    ? "an anonymous volume " + mi.source().substring(0, 12)
                    : mi.type() + " " + mi.source();
            return fail("mount", subject, "has " + actual + " there, not " + what
                    + " — the data is NOT in " + (type.equals("volume") ? source : what));
        }
        return pass("mount", subject, what + (mi.readOnly() ? " (read-only)" : ""));
    }

    private static void bindChecks(Stack stack, Path source, VerifyOptions options, List<Check> checks) {
        String shown = display(stack, source);
        if (!options.checkBindSources()) {
            checks.add(pass("bind", shown, "not checked here: the engine is remote, the path lives on its host"));
            return;
        }
        if (!Files.exists(source)) {
            checks.add(fail("bind", shown, "does not exist on this host — Docker would mount an empty directory"
                    + " in its place (lost certificates/config?): restore it"));
            return;
        }
        checks.add(pass("bind", shown, Files.isDirectory(source) ? "exists (directory)" : "exists (file)"));
        Path acme = Files.isDirectory(source) ? source.resolve("acme.json")
                : source.getFileName().toString().equals("acme.json") ? source : null;
        if (acme != null && Files.isRegularFile(acme)) {
            checks.add(acmeCheck(display(stack, acme), acme));
        }
    }

    /** Traefik refuses to use an acme.json others can read (it holds the certificates' private keys). */
    static Check acmeCheck(String shown, Path acme) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(acme);
            String mode = mode(perms);
            return perms.equals(PRIVATE) ? pass("file", shown, "mode 600")
                    : fail("file", shown, "mode " + mode + ", must be 600 (Traefik refuses it otherwise):"
                            + " chmod 600 " + acme);
        } catch (UnsupportedOperationException e) {
            return pass("file", shown, "exists (file system has no POSIX permissions; mode not checked)");
        } catch (IOException e) {
            return fail("file", shown, "cannot read its permissions: " + e.getMessage());
        }
    }

    static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return Integer.toOctalString(m);
    }

    private static String display(Stack stack, Path p) {
        Path dir = stack.compose().path() == null ? null : stack.compose().path().toAbsolutePath().getParent();
        if (dir != null && p.isAbsolute() && p.normalize().startsWith(dir)) {
            Path rel = dir.relativize(p.normalize());
            return rel.toString().isEmpty() ? "." : "./" + rel;
        }
        return p.toString();
    }

    private static Check probe(DockerEngine engine, Stack stack, Optional<DeployHistory.Deploy> current,
            VerifyOptions.Probe p, List<String> masked) {
        if (p instanceof VerifyOptions.ExecProbe e) {
            return execProbe(engine, stack, current, e, masked);
        }
        return httpProbe((VerifyOptions.HttpProbe) p);
    }

    private static Check execProbe(DockerEngine engine, Stack stack, Optional<DeployHistory.Deploy> current,
            VerifyOptions.ExecProbe p, List<String> masked) {
        StackService s = stack.service(p.service()).orElseThrow(() -> new ConfigException("<probes>: exec probe '"
                + p.label() + "': no service " + p.service() + " in " + stack.compose().path().getFileName()));
        Optional<ContainerInfo> c = s.infra() ? engine.findContainer(s.containerName())
                : current.flatMap(d -> d.container(s.name()));
        if (c.isEmpty() || !"running".equals(c.get().state())) {
            return fail("probe", p.label(), "not run: " + (c.isEmpty() ? "service " + s.name() + " has no container"
                    : c.get().name() + " is " + c.get().state()));
        }
        return execIn(engine, stack, c.get().id(), c.get().name(), p, masked);
    }

    /** Runs an exec probe in one container (on either target: a swarm task's container on the manager). */
    public static Check execIn(DockerEngine engine, Stack stack, String containerId, String containerName,
            VerifyOptions.ExecProbe p, List<String> masked) {
        try {
            ExecResult r = engine.exec(containerId, p.command(), p.timeout());
            // a probe may print a secret (a connection string, an env dump): masked like container logs
            String out = SecretMask.of(stack, masked).apply(lastLine(r.output()));
            return r.exitCode() == 0 ? pass("probe", p.label(), "exit 0" + (out.isEmpty() ? "" : ": " + out))
                    : fail("probe", p.label(), "exit " + r.exitCode() + " in " + containerName
                            + (out.isEmpty() ? "" : ": " + out));
        } catch (DockerOperationException ex) {
            return fail("probe", p.label(), "could not run in " + containerName + ": " + ex.getMessage());
        }
    }

    private static String lastLine(String output) {
        if (output == null) {
            return "";
        }
        String[] lines = output.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        return last.length() > 160 ? last.substring(0, 160) + "…" : last;
    }

    public static Check httpProbe(VerifyOptions.HttpProbe p) {
        URI uri = URI.create("http://127.0.0.1:" + p.port() + p.path());
        HttpClient client = HttpClient.newBuilder().connectTimeout(p.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(uri).timeout(p.timeout()).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == p.status() ? pass("probe", p.label(), "HTTP " + r.statusCode())
                    : fail("probe", p.label(), "HTTP " + r.statusCode() + ", expected " + p.status());
        } catch (HttpConnectTimeoutException e) {
            return fail("probe", p.label(), "no connection within " + p.timeout().toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            return fail("probe", p.label(), "no answer within " + p.timeout().toSeconds() + " s");
        } catch (ConnectException e) {
            return fail("probe", p.label(), "connection refused on 127.0.0.1:" + p.port()
                    + " (is the port published?)");
        } catch (IOException e) {
            return fail("probe", p.label(), "request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("probe", p.label(), "interrupted");
        }
    }

    static Check pass(String kind, String subject, String detail) {
        return new Check(true, kind, subject, detail);
    }

    static Check fail(String kind, String subject, String detail) {
        return new Check(false, kind, subject, detail);
    }

    /** One row of the table. {@code detail} says what was found, and on failure what to do. */
    public record Check(boolean ok, String kind, String subject, String detail) {}

    public record Report(String project, List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        public boolean ok() {
            return checks.stream().allMatch(Check::ok);
        }

        public List<Check> failures() {
            return checks.stream().filter(c -> !c.ok()).toList();
        }

        public List<String> table() {
            Table t = new Table();
            checks.forEach(c -> t.row(c.ok() ? OK : FAIL, c.kind(), c.subject(), c.detail()));
            return t.lines();
        }

        /** One line naming every failed check, for the build failure. */
        public String summary() {
            List<Check> failed = failures();
            if (failed.isEmpty()) {
                return "all " + checks.size() + " checks passed";
            }
            return "verify failed: " + failed.size() + " of " + checks.size() + " checks for project " + project
                    + ": " + failed.stream().map(c -> c.kind() + " " + c.subject() + ": " + c.detail())
                            .collect(Collectors.joining("; "));
        }

        /** @throws CheckFailedException naming every failed check */
        public void requireOk() {
            if (!ok()) {
                throw new CheckFailedException(summary());
            }
        }
    }
}
