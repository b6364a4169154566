package dev.sancho.maven.docker;

import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;
import java.util.function.Consumer;

/** Turns the engine's pull answers into progress lines such as {@code 3f4ca61a: Downloading [==>   ] 1MB/5MB}. */
final class PullProgress extends PullImageResultCallback {
    private final Consumer<String> progress;

    PullProgress(Consumer<String> progress) {
        this.progress = progress;
    }

    @Override
    public void onNext(PullResponseItem item) {
        String line = line(item);
        if (line != null && progress != null) {
            progress.accept(line);
        }
        super.onNext(item);
    }

    /** The item as one line, or null when it carries no status. */
    static String line(PullResponseItem item) {
        if (item.getStatus() == null) {
            return null;
        }
        return (item.getId() == null ? "" : item.getId() + ": ") + item.getStatus()
                + (item.getProgress() == null ? "" : " " + item.getProgress());
    }
}
