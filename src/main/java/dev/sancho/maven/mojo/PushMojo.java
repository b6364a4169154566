package dev.sancho.maven.mojo;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * {@code sancho:build} with {@code sancho.push}: builds the images of the services with {@code build:} for one
 * deploy id and pushes each to the registry its {@code image:} names (the per-deploy tag and the {@code image:} tag).
 * Changes no container. Another engine then deploys them: {@code mvn sancho:deploy -Dsancho.deployId=SAME
 * -Dsancho.skipBuild -Dsancho.push} runs (and pulls) the pushed per-deploy tag.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class PushMojo extends BuildMojo {

    @Override
    protected String goal() {
        return "push";
    }

    @Override
    protected boolean pushes() {
        return true;
    }
}
