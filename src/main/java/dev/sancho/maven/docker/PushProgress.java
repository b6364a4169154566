package dev.sancho.maven.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PushResponseItem;

/**
 * Feeds the engine's push answers to a {@link TransferProgress}, and keeps the error the engine reports inside the
 * stream (a refused push still answers HTTP 200).
 */
final class PushProgress extends ResultCallback.Adapter<PushResponseItem> {
    private final TransferProgress progress;
    private volatile String error;

    PushProgress(TransferProgress progress) {
        this.progress = progress;
    }

    @Override
    public void onNext(PushResponseItem item) {
        if (item.isErrorIndicated()) {
            String e = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                    ? item.getErrorDetail().getMessage() : item.getError();
            error = error == null ? DockerErrors.oneLine(String.valueOf(e)) : error;
            return;
        }
        var detail = item.getProgressDetail();
        progress.item(item.getId(), item.getStatus(), detail == null ? null : detail.getCurrent(),
                detail == null ? null : detail.getTotal());
    }

    /** The engine's error, null after a successful push. */
    String error() {
        return error;
    }
}
