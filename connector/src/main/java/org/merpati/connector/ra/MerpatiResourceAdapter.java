package org.merpati.connector.ra;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkManager;

import org.merpati.connector.api.LmtpListener;
import org.merpati.connector.api.MailDeliveryListener;
import org.merpati.connector.api.SmtpListener;
import org.merpati.connector.api.SubmissionListener;
import org.merpati.connector.api.access.ImapListener;
import org.merpati.connector.api.access.Pop3Listener;
import org.merpati.connector.netty.NettyEventLoops;
import org.merpati.connector.netty.NettyListener;

/**
 * The Merpati inbound resource adapter. Each MDB activation (an MDB implementing {@link SmtpListener},
 * {@link LmtpListener}, {@link SubmissionListener}, {@link ImapListener} or {@link Pop3Listener}) gets its own
 * Netty listener, bound in {@link #endpointActivation} and unbound in
 * {@link #endpointDeactivation}; all listeners share one event loop group running on the WorkManager.
 *
 * <p>A listener that cannot start (port in use, unreadable certificate) is logged as an ERROR and skipped: the
 * MDB still deploys, so one bad port does not take the other listeners or the application down with it.
 */
@Connector(
    displayName = "Merpati mail connector",
    description = "SMTP and LMTP listeners delivering to message-driven beans",
    vendorName = "Merpati",
    eisType = "Mail protocols",
    version = "0.1",
    transactionSupport = TransactionSupport.TransactionSupportLevel.NoTransaction,
    reauthenticationSupport = false)
public class MerpatiResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(MerpatiResourceAdapter.class.getName());

    @ConfigProperty(type = Integer.class, defaultValue = "2",
        description = "Netty event loop threads shared by all listeners (each is one long-running WorkManager task)")
    private Integer eventLoopThreads = 2;

    private WorkManager workManager;
    private NettyEventLoops loops;
    private final Map<ActivationKey, NettyListener> listeners = new ConcurrentHashMap<>();

    public Integer getEventLoopThreads() {
        return eventLoopThreads;
    }

    public void setEventLoopThreads(Integer eventLoopThreads) {
        this.eventLoopThreads = eventLoopThreads;
    }

    @Override
    public synchronized void start(BootstrapContext context) throws ResourceAdapterInternalException {
        if (eventLoopThreads == null || eventLoopThreads < 1) {
            throw new ResourceAdapterInternalException("eventLoopThreads must be positive, not " + eventLoopThreads);
        }
        workManager = context.getWorkManager();
        boolean hints = context.isContextSupported(jakarta.resource.spi.work.HintsContext.class);
        loops = new NettyEventLoops(eventLoopThreads, new WorkManagerExecutor(workManager, hints));
        LOG.info("Merpati resource adapter started with " + eventLoopThreads + " event loop threads");
    }

    @Override
    public synchronized void stop() {
        listeners.values().forEach(NettyListener::stop);
        listeners.clear();
        if (loops != null) {
            loops.close();
            loops = null;
        }
        LOG.info("Merpati resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (spec instanceof Pop3ActivationSpec pop3) {
            activatePop3(factory, pop3);
            return;
        }
        if (spec instanceof ImapActivationSpec imap) {
            activateImap(factory, imap);
            return;
        }
        if (!(spec instanceof MailListenerProperties properties)) {
            throw new NotSupportedException("not a Merpati activation spec: " + spec);
        }
        if (spec.getResourceAdapter() != this) {
            throw new ResourceException("activation spec " + spec + " belongs to another resource adapter");
        }
        NettyEventLoops currentLoops;
        synchronized (this) {
            currentLoops = loops;
        }
        if (currentLoops == null) {
            throw new ResourceException("resource adapter not started");
        }
        ActivationKey key = new ActivationKey(factory, spec);
        String where = properties.protocol() + " on " + properties.getBindAddress() + ":" + properties.getPort();
        NettyListener listener;
        try {
            listener = ListenerFactory.create(properties, currentLoops, dispatcher(factory, spec));
            listener.start();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "Merpati cannot start " + where + ": " + e.getMessage()
                + " -- this listener stays down, the others are not affected", e);
            return;
        }
        NettyListener previous = listeners.put(key, listener);
        if (previous != null) {
            previous.stop();
        }
    }

    /** Like the SMTP/LMTP path above, for a POP3 spec (which has its own properties). */
    private void activatePop3(MessageEndpointFactory factory, Pop3ActivationSpec spec) throws ResourceException {
        if (spec.getResourceAdapter() != this) {
            throw new ResourceException("activation spec " + spec + " belongs to another resource adapter");
        }
        NettyEventLoops currentLoops;
        synchronized (this) {
            currentLoops = loops;
        }
        if (currentLoops == null) {
            throw new ResourceException("resource adapter not started");
        }
        String where = spec.protocol() + " on " + spec.getBindAddress() + ":" + spec.getPort();
        NettyListener listener;
        try {
            listener = ListenerFactory.createPop3(spec, currentLoops, new WorkManagerDispatcher<>(workManager, factory, Pop3Listener.class));
            listener.start();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "Merpati cannot start " + where + ": " + e.getMessage()
                + " -- this listener stays down, the others are not affected", e);
            return;
        }
        NettyListener previous = listeners.put(new ActivationKey(factory, spec), listener);
        if (previous != null) {
            previous.stop();
        }
    }

    /** Like the POP3 path above, for an IMAP spec (which has its own properties). */
    private void activateImap(MessageEndpointFactory factory, ImapActivationSpec spec) throws ResourceException {
        if (spec.getResourceAdapter() != this) {
            throw new ResourceException("activation spec " + spec + " belongs to another resource adapter");
        }
        NettyEventLoops currentLoops;
        synchronized (this) {
            currentLoops = loops;
        }
        if (currentLoops == null) {
            throw new ResourceException("resource adapter not started");
        }
        String where = spec.protocol() + " on " + spec.getBindAddress() + ":" + spec.getPort();
        NettyListener listener;
        try {
            listener = ListenerFactory.createImap(spec, currentLoops, new WorkManagerDispatcher<>(workManager, factory, ImapListener.class));
            listener.start();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "Merpati cannot start " + where + ": " + e.getMessage()
                + " -- this listener stays down, the others are not affected", e);
            return;
        }
        NettyListener previous = listeners.put(new ActivationKey(factory, spec), listener);
        if (previous != null) {
            previous.stop();
        }
    }

    /** The MDB is cast to the listener interface its spec declares in {@code @Activation}. */
    private WorkManagerDispatcher<? extends MailDeliveryListener> dispatcher(MessageEndpointFactory factory, ActivationSpec spec) {
        if (spec instanceof SubmissionActivationSpec) {
            return new WorkManagerDispatcher<>(workManager, factory, SubmissionListener.class);
        }
        return spec instanceof LmtpActivationSpec
            ? new WorkManagerDispatcher<>(workManager, factory, LmtpListener.class)
            : new WorkManagerDispatcher<>(workManager, factory, SmtpListener.class);
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        NettyListener listener = listeners.remove(new ActivationKey(factory, spec));
        if (listener != null) {
            listener.stop();
        }
    }

    /** Inbound only: no transactions to recover. */
    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** Number of listeners currently bound (tests, monitoring). */
    public int activeListeners() {
        return listeners.size();
    }

    // identity semantics on purpose: each deployed adapter is its own instance; declared because the
    // JCA validator insists that a ResourceAdapter declares them
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
