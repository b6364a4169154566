package dev.sancho.maven.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.BuildResponseItem;
import java.util.function.Consumer;

/**
 * Receives the engine's build answers as they arrive: their text goes through {@link BuildOutput} to the progress
 * consumer, and the image id or the first error they report is kept for the end of the build.
 */
final class BuildStream extends ResultCallback.Adapter<BuildResponseItem> {
    private final BuildOutput output;
    private String imageId;
    private String error;

    BuildStream(Consumer<String> progress) {
        this.output = new BuildOutput(progress);
    }

    @Override
    public void onNext(BuildResponseItem item) {
        output.accept(item.getStream());
        if (item.isBuildSuccessIndicated() && item.getImageId() != null) {
            imageId = item.getImageId();
        }
        if (item.isErrorIndicated() && error == null) {
            error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage() : item.getError();
        }
    }

    /** Emits the last line if it had no newline; call once the stream has ended, also when it failed. */
    void flush() {
        output.flush();
    }

    /** The id the engine reported for the built image (may be short, without {@code sha256:}); null if none. */
    String imageId() {
        return imageId;
    }

    /** The failing step with its reason and last lines, or null when the engine reported no error. */
    ImageBuildException failure() {
        if (error == null) {
            return null;
        }
        String reason = DockerErrors.oneLine(BuildOutput.clean(error));
        return new ImageBuildException(output.step(), reason, output.lastLines());
    }
}
