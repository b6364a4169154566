package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateNetworkCmd;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import com.github.dockerjava.core.command.CreateNetworkCmdImpl;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mount and network options as the create calls' JSON, the way docker/compose's create.go spells them: the Mount API
 * with BindOptions/VolumeOptions/TmpfsOptions, and the Bind API ({@code HostConfig.Binds}) for an SELinux relabel,
 * which only it can say (compose's toBindString).
 */
class MountAndNetworkSpellingTest {
    /** As docker-java sends it: null fields left out. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    private static JsonNode hostConfig(List<ContainerSpec.Mount> mounts) {
        ContainerSpec spec = new ContainerSpec("c", "app:1", null, null, Map.of(), Map.of(), List.of(), mounts,
                Map.of(), null, null, null, null, null, List.of(), null, null);
        CreateContainerCmd.Exec notSent = c -> {
            throw new AssertionError("mapping only");
        };
        CreateContainerCmd cmd = ContainerCreateCommand.apply(new CreateContainerCmdImpl(notSent, null, "app:1"), spec,
                null);
        return JSON.valueToTree(cmd).path("HostConfig");
    }

    private static ContainerSpec.MountOptions options(String propagation, String selinux, boolean create,
            boolean noCopy, String subpath, Long size, Integer mode) {
        return new ContainerSpec.MountOptions(propagation, selinux, create, noCopy, subpath, size, mode);
    }

    @Test
    void mountOptionsReachTheCreateCall() {
        JsonNode host = hostConfig(List.of(
                new ContainerSpec.Mount("volume", "shop_data", "/var/lib/postgresql/data", false,
                        options(null, null, false, true, "pg16", null, null)),
                new ContainerSpec.Mount("tmpfs", null, "/cache", false, options(null, null, false, false, null,
                        64L << 20, 01777)),
                new ContainerSpec.Mount("bind", "/", "/rootfs", true, options("rslave", null, false, false, null,
                        null, null)),
                new ContainerSpec.Mount("bind", "/srv/conf", "/etc/conf", true, options(null, "Z", true, false, null,
                        null, null)),
                new ContainerSpec.Mount("bind", "/sys", "/sys", false, options("rslave", "z", true, false, null, null,
                        null)),
                new ContainerSpec.Mount("volume", "shop_data", "/plain", false)));
        assertEquals("[{\"Type\":\"volume\",\"Source\":\"shop_data\",\"Target\":\"/var/lib/postgresql/data\","
                        + "\"ReadOnly\":false,\"VolumeOptions\":{\"NoCopy\":true,\"Subpath\":\"pg16\"}},"
                        + "{\"Type\":\"tmpfs\",\"Target\":\"/cache\",\"ReadOnly\":false,"
                        + "\"TmpfsOptions\":{\"SizeBytes\":67108864,\"Mode\":1023}},"
                        + "{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/rootfs\",\"ReadOnly\":true,"
                        + "\"BindOptions\":{\"Propagation\":\"rslave\"}},"
                        + "{\"Type\":\"volume\",\"Source\":\"shop_data\",\"Target\":\"/plain\",\"ReadOnly\":false}]",
                host.path("Mounts").toString());
        assertEquals("[\"/srv/conf:/etc/conf:ro,Z\",\"/sys:/sys:rw,z,rslave\"]", host.path("Binds").toString());
    }

    @Test
    void aMountWithoutOptionsIsSpelledAsBefore() {
        assertEquals("Mount[type=volume, source=d, target=/d, readOnly=false]",
                new ContainerSpec.Mount("volume", "d", "/d", false).toString(), "config hashes of existing containers");
        assertEquals("Mount[type=bind, source=/s, target=/s, readOnly=true]",
                new ContainerSpec.Mount("bind", "/s", "/s", true, options(null, null, true, false, null, null, null))
                        .toString(), "create_host_path is how, not what: not part of the hash");
        assertEquals("Mount[type=tmpfs, source=null, target=/t, readOnly=false, size=1024, mode=01777]",
                new ContainerSpec.Mount("tmpfs", null, "/t", false, options(null, null, false, false, null, 1024L,
                        01777)).toString());
    }

    @Test
    void networkOptionsReachTheCreateCall() {
        CreateNetworkCmd.Exec notSent = c -> {
            throw new AssertionError("mapping only");
        };
        CreateNetworkCmd cmd = NetworkSpelling.apply(new CreateNetworkCmdImpl(notSent).withName("shop_internal"),
                new NetworkOptions(true, true, true, Map.of("com.docker.network.bridge.enable_icc", "true")));
        JsonNode json = JSON.valueToTree(cmd);
        assertEquals(true, json.path("Internal").asBoolean());
        assertEquals(true, json.path("EnableIPv6").asBoolean());
        assertEquals(true, json.path("Attachable").asBoolean());
        assertEquals("{\"com.docker.network.bridge.enable_icc\":\"true\"}", json.path("Options").toString());
        JsonNode plain = JSON.valueToTree(NetworkSpelling.apply(new CreateNetworkCmdImpl(notSent).withName("n"),
                NetworkOptions.NONE));
        assertEquals(true, plain.path("Internal").isMissingNode() || plain.path("Internal").isNull(), plain.toString());
        assertEquals(true, plain.path("EnableIPv6").isMissingNode() || plain.path("EnableIPv6").isNull(),
                plain.toString());
    }
}
