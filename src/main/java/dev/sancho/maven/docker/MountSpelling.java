package dev.sancho.maven.docker;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.BindOptions;
import com.github.dockerjava.api.model.BindPropagation;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.TmpfsOptions;
import com.github.dockerjava.api.model.VolumeOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Spells a container's mounts for the create call, as Compose v2 does: the Mount API ({@code HostConfig.Mounts}) with
 * its bind, volume and tmpfs options, except where only the older Bind API ({@code HostConfig.Binds},
 * {@code source:target:mode}) can say it: an SELinux relabel ({@code z}/{@code Z}), which the Mount API has no field
 * for.
 */
final class MountSpelling {
    private MountSpelling() {}

    static void apply(HostConfig host, List<ContainerSpec.Mount> mounts) {
        List<Mount> viaMounts = new ArrayList<>();
        List<Bind> viaBinds = new ArrayList<>();
        for (ContainerSpec.Mount m : mounts) {
            if (needsBind(m)) {
                viaBinds.add(Bind.parse(bind(m)));
            } else {
                viaMounts.add(mount(m));
            }
        }
        if (!viaMounts.isEmpty()) {
            host.withMounts(viaMounts);
        }
        if (!viaBinds.isEmpty()) {
            host.withBinds(viaBinds);
        }
    }

    static boolean needsBind(ContainerSpec.Mount m) {
        return m.options().selinux() != null && m.source() != null && !"tmpfs".equals(m.type());
    }

    /** {@code source:target:ro|rw[,z|Z][,propagation][,nocopy]}, as compose's toBindString writes it. */
    static String bind(ContainerSpec.Mount m) {
        ContainerSpec.MountOptions o = m.options();
        List<String> modes = new ArrayList<>();
        modes.add(m.readOnly() ? "ro" : "rw");
        if (o.selinux() != null) {
            modes.add(o.selinux());
        }
        if (o.propagation() != null) {
            modes.add(o.propagation());
        }
        if (o.noCopy()) {
            modes.add("nocopy");
        }
        return m.source() + ":" + m.target() + ":" + String.join(",", modes);
    }

    static Mount mount(ContainerSpec.Mount m) {
        ContainerSpec.MountOptions o = m.options();
        Mount mount = new Mount()
                .withType(MountType.valueOf(m.type().toUpperCase(Locale.ROOT)))
                .withSource(m.source())
                .withTarget(m.target())
                .withReadOnly(m.readOnly());
        switch (m.type()) {
            case "bind" -> {
                if (o.propagation() != null) {
                    mount.withBindOptions(new BindOptions().withPropagation(propagation(o.propagation())));
                }
            }
            case "volume" -> {
                if (o.noCopy() || o.subpath() != null) {
                    VolumeOptions v = new VolumeOptions();
                    if (o.noCopy()) {
                        v.withNoCopy(true);
                    }
                    if (o.subpath() != null) {
                        RawFields.put(v, "Subpath", o.subpath()); // API 1.45: checked before (EngineFeatures)
                    }
                    mount.withVolumeOptions(v);
                }
            }
            default -> {
                if (o.tmpfsSize() != null || o.tmpfsMode() != null) {
                    mount.withTmpfsOptions(new TmpfsOptions().withSizeBytes(o.tmpfsSize()).withMode(o.tmpfsMode()));
                }
            }
        }
        return mount;
    }

    private static BindPropagation propagation(String mode) {
        return switch (mode) {
            case "private" -> BindPropagation.PRIVATE;
            case "rprivate" -> BindPropagation.R_PRIVATE;
            case "shared" -> BindPropagation.SHARED;
            case "rshared" -> BindPropagation.R_SHARED;
            case "slave" -> BindPropagation.SLAVE;
            case "rslave" -> BindPropagation.R_SLAVE;
            default -> throw new DockerOperationException("unknown bind propagation '" + mode + "'", null);
        };
    }
}
