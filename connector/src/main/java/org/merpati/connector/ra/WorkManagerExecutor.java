package org.merpati.connector.ra;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

/** Runs Netty's event loop threads as WorkManager work, so the adapter creates no unmanaged threads. */
final class WorkManagerExecutor implements Executor {

    private final WorkManager workManager;
    private final boolean hintsSupported;

    WorkManagerExecutor(WorkManager workManager, boolean hintsSupported) {
        this.workManager = workManager;
        this.hintsSupported = hintsSupported;
    }

    @Override
    public void execute(Runnable command) {
        try {
            workManager.scheduleWork(new LongRunningWork(command, hintsSupported));
        } catch (WorkException e) {
            throw new RejectedExecutionException("WorkManager refused an event loop: " + e.getMessage(), e);
        }
    }
}
