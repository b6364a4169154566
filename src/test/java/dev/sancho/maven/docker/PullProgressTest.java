package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.PullResponseItem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PullProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private long now;
    private final List<String> lines = new ArrayList<>();

    private static PullResponseItem item(String json) throws Exception {
        return JSON.readValue(json.replace('\'', '"'), PullResponseItem.class);
    }

    private void seconds(long s) {
        now += s * 1_000_000_000L;
    }

    @Test
    void oneSummedLinePerImageEveryFiveSecondsNotOnePerLayerAnswer() throws Exception {
        TransferProgress t = new TransferProgress("reg:5000/app:1", lines::add, () -> now);
        PullProgress p = new PullProgress(t);
        p.onNext(item("{'status': 'Pulling from app', 'id': '1'}"));
        p.onNext(item("{'status': 'Already exists', 'id': 'aaa'}"));
        p.onNext(item("{'status': 'Pulling fs layer', 'id': 'bbb'}"));
        p.onNext(item("{'status': 'Pulling fs layer', 'id': 'ccc'}"));
        for (int i = 1; i <= 10; i++) {
            p.onNext(item("{'status': 'Downloading', 'id': 'bbb', 'progressDetail': {'current': " + i * 100_000
                    + ", 'total': 1000000}}"));
        }
        assertEquals(List.of(), lines, "answers within the first 5 s print nothing");
        seconds(5);
        p.onNext(item("{'status': 'Downloading', 'id': 'ccc', 'progressDetail': {'current': 500, 'total': 2000000}}"));
        assertEquals(List.of("  reg:5000/app:1: 1.0 MB / 3.0 MB, 1/3 layers"), lines);
        p.onNext(item("{'status': 'Download complete', 'id': 'bbb'}"));
        p.onNext(item("{'status': 'Pull complete', 'id': 'bbb'}"));
        seconds(3);
        p.onNext(item("{'status': 'Extracting', 'id': 'ccc', 'progressDetail': {'current': 5, 'total': 9}}"));
        assertEquals(1, lines.size(), "not before 5 s since the last line");
        seconds(2);
        p.onNext(item("{'status': 'Pull complete', 'id': 'ccc'}"));
        assertEquals("  reg:5000/app:1: 3.0 MB / 3.0 MB, 3/3 layers", lines.get(1));
        p.onNext(item("{'status': 'Digest: sha256:abc'}"));
        assertEquals(3_000_000, t.totalBytes());
        assertEquals("3.0 MB, 2 of 3 layers new", t.summary());
        assertEquals(10, t.seconds());
    }

    @Test
    void pushAnswersCountTheSameWay() {
        TransferProgress t = new TransferProgress("reg/app:1", lines::add, () -> now);
        t.item("aaa", "Preparing", null, null);
        t.item("bbb", "Preparing", null, null);
        t.item("aaa", "Layer already exists", null, null);
        t.item("bbb", "Pushing", 1500L, 3000L);
        seconds(6);
        t.item("bbb", "Pushed", null, null);
        assertEquals(List.of("  reg/app:1: 3.0 kB / 3.0 kB, 2/2 layers"), lines);
    }

    @Test
    void bytesAreShownInDecimalUnits() {
        assertEquals("999 B", TransferProgress.bytes(999));
        assertEquals("1.5 kB", TransferProgress.bytes(1500));
        assertEquals("45.6 MB", TransferProgress.bytes(45_600_000));
        assertEquals("2.1 GB", TransferProgress.bytes(2_100_000_000L));
    }

    @Test
    void theFromImagesOfADockerfileNameTheRegistriesABuildNeedsCredentialsFor() {
        assertEquals(Set.of("127.0.0.1:5000", "docker.io"), DockerfileBases.registries("""
                # syntax comment
                FROM --platform=linux/amd64 127.0.0.1:5000/base/jdk:17 AS build
                RUN make
                from build AS test
                FROM node:20
                FROM scratch
                ARG BASE=x
                FROM ${BASE}
                """));
    }

    @Test
    void argsInFromTakeTheBuildArgElseTheDefaultOfAnArgBeforeTheFirstFrom() {
        String dockerfile = """
                ARG BASE=ghcr.io/o/base:1
                ARG RUNTIME="quay.io/o/jre:17"
                FROM ${BASE} AS build
                FROM $RUNTIME
                FROM ${UNKNOWN}
                """;
        assertEquals(Set.of("ghcr.io", "quay.io"), DockerfileBases.registries(dockerfile));
        assertEquals(Set.of("127.0.0.1:5000", "quay.io"),
                DockerfileBases.registries(dockerfile, java.util.Map.of("BASE", "127.0.0.1:5000/team/base:2")));
    }
}
