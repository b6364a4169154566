package dev.sancho.maven.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static void pulls(String reference, String fromImage, String tag) {
        ImageReference r = ImageReference.parse(reference);
        assertEquals(fromImage + " " + tag, r.pullName() + " " + r.pullTag(), reference);
    }

    @Test
    void nameTagAndDigestApart() {
        assertEquals(new ImageReference("postgres", "16", null), ImageReference.parse("postgres:16"));
        assertEquals(new ImageReference("postgres", null, null), ImageReference.parse("postgres"));
        assertEquals(new ImageReference("localhost:5000/team/app", null, null),
                ImageReference.parse("localhost:5000/team/app"));
        assertEquals(new ImageReference("localhost:5000/team/app", "2", null),
                ImageReference.parse("localhost:5000/team/app:2"));
        assertEquals(new ImageReference("app", null, "sha256:abc"), ImageReference.parse("app@sha256:abc"));
        assertEquals(new ImageReference("app", "1", "sha256:abc"), ImageReference.parse("app:1@sha256:abc"));
    }

    @Test
    void whatThePullApiIsGiven() {
        pulls("postgres", "postgres", "latest");
        pulls("postgres:16", "postgres", "16");
        pulls("localhost:5000/team/app", "localhost:5000/team/app", "latest");
        pulls("localhost:5000/team/app:2", "localhost:5000/team/app", "2");
        pulls("app@sha256:abc", "app", "sha256:abc");
        pulls("registry:5000/app:1@sha256:abc", "registry:5000/app:1", "sha256:abc");
    }
}
