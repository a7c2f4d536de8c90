package org.merpati.connector.ra;

import java.util.List;

import jakarta.resource.spi.work.HintsContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkContext;
import jakarta.resource.spi.work.WorkContextProvider;

/**
 * A Netty event loop as container work. Marked long-running (JCA HintsContext) so the container can run it
 * on its long-running pool instead of holding a short-task thread forever.
 */
final class LongRunningWork implements Work, WorkContextProvider {

    private static final long serialVersionUID = 1L;

    private final transient Runnable task;
    private final boolean hintsSupported;

    /** @param hintsSupported whether the container accepts a HintsContext (it refuses work with unknown contexts) */
    LongRunningWork(Runnable task, boolean hintsSupported) {
        this.task = task;
        this.hintsSupported = hintsSupported;
    }

    @Override
    public void run() {
        task.run();
    }

    /** Event loops stop when their group shuts down; nothing to interrupt here. */
    @Override
    public void release() {
    }

    @Override
    public List<WorkContext> getWorkContexts() {
        if (!hintsSupported) {
            return List.of();
        }
        HintsContext hints = new HintsContext();
        hints.setName("merpati-io");
        hints.setHint(HintsContext.LONGRUNNING_HINT, Boolean.TRUE);
        return List.of(hints);
    }
}
