package dev.sancho.maven.docker;

import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.PullResponseItem;

/** Feeds the engine's pull answers to a {@link TransferProgress} (one summed line per image every few seconds). */
final class PullProgress extends PullImageResultCallback {
    private final TransferProgress progress;

    PullProgress(TransferProgress progress) {
        this.progress = progress;
    }

    @Override
    public void onNext(PullResponseItem item) {
        var detail = item.getProgressDetail();
        progress.item(item.getId(), item.getStatus(), detail == null ? null : detail.getCurrent(),
                detail == null ? null : detail.getTotal());
        super.onNext(item);
    }
}
