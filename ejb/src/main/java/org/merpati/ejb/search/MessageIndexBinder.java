package org.merpati.ejb.search;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.hibernate.search.engine.backend.document.DocumentElement;
import org.hibernate.search.engine.backend.document.IndexFieldReference;
import org.hibernate.search.engine.backend.document.model.dsl.IndexSchemaElement;
import org.hibernate.search.engine.backend.types.Aggregable;
import org.hibernate.search.engine.backend.types.Norms;
import org.hibernate.search.engine.backend.types.Projectable;
import org.hibernate.search.mapper.orm.HibernateOrmExtension;
import org.hibernate.search.mapper.pojo.bridge.TypeBridge;
import org.hibernate.search.mapper.pojo.bridge.binding.TypeBindingContext;
import org.hibernate.search.mapper.pojo.bridge.mapping.programmatic.TypeBinder;
import org.hibernate.search.mapper.pojo.bridge.runtime.TypeBridgeWriteContext;
import org.jboss.logging.Logger;
import org.merpati.ejb.mime.CachedStructure;
import org.merpati.ejb.mime.MessageTextScanner;
import org.merpati.ejb.platform.MerpatiConfig;
import org.merpati.ejb.storage.blob.BlobStore;
import org.merpati.ejb.storage.jpa.MessageEntity;

/**
 * Writes one message's index document: its mailbox and UID (what a search filters on and returns), the
 * {@link SearchTerms} of its body (the blob, streamed through {@link MessageTextScanner}), of its header
 * fields, and of the envelope fields SEARCH SUBJECT/FROM/TO/CC/BCC compare (from the cached columns).
 *
 * <p>The document depends only on values that never change once a message row exists (mailbox, UID,
 * blob, cached headers), so flag changes do not re-index. Indexing never fails a delivery: an unreadable
 * blob is logged and indexed as partial, which leaves that message to the scanner.
 */
public final class MessageIndexBinder implements TypeBinder {

    /**
     * Optional persistence unit property: the blob store directory the index reads message text from.
     * Unset (the server), {@link MerpatiConfig#blobDir()} applies; tests set it.
     */
    public static final String BLOB_DIR_PROPERTY = "merpati.search.blob-dir";

    static final String MAILBOX = "mailbox";
    static final String UID = "uid";
    static final String PARTIAL = "partial";
    /** The UID again, only in partial documents: a search collects both from doc values, never stored fields. */
    static final String PARTIAL_UID = "partial_uid";
    static final String BODY = "body";
    static final String HEADER = "header";
    /** The envelope fields the index serves, by SEARCH header name. */
    static final Set<String> ENVELOPE = Set.of("subject", "from", "to", "cc", "bcc");

    private static final Logger LOG = Logger.getLogger(MessageIndexBinder.class);

    @Override
    public void bind(TypeBindingContext context) {
        context.dependencies().use("mailbox").use("uid").use("blob").use("bodyStructure").use("subject")
                .use("envelope");
        IndexSchemaElement schema = context.indexSchemaElement();
        Fields fields = new Fields(
                schema.field(MAILBOX, f -> f.asLong()).toReference(),
                schema.field(UID, f -> f.asLong().projectable(Projectable.YES).aggregable(Aggregable.YES))
                        .toReference(),
                schema.field(PARTIAL, f -> f.asBoolean().projectable(Projectable.YES)).toReference(),
                schema.field(PARTIAL_UID, f -> f.asLong().aggregable(Aggregable.YES)).toReference(),
                terms(schema, BODY), terms(schema, HEADER),
                Map.of("subject", terms(schema, "subject"), "from", terms(schema, "from"),
                        "to", terms(schema, "to"), "cc", terms(schema, "cc"), "bcc", terms(schema, "bcc")));
        context.bridge(MessageEntity.class, new Bridge(fields));
    }

    private static IndexFieldReference<String> terms(IndexSchemaElement schema, String name) {
        return schema.field(name, f -> f.asString().norms(Norms.NO)).multiValued().toReference();
    }

    private record Fields(IndexFieldReference<Long> mailbox, IndexFieldReference<Long> uid,
                          IndexFieldReference<Boolean> partial, IndexFieldReference<Long> partialUid,
                          IndexFieldReference<String> body,
                          IndexFieldReference<String> header, Map<String, IndexFieldReference<String>> envelope) {
    }

    private static final class Bridge implements TypeBridge<MessageEntity> {

        private final Fields fields;
        private volatile BlobStore blobs;

        Bridge(Fields fields) {
            this.fields = fields;
        }

        @Override
        public void write(DocumentElement target, MessageEntity message, TypeBridgeWriteContext context) {
            target.addValue(fields.mailbox(), message.getMailboxId());
            target.addValue(fields.uid(), message.getUid());
            PendingIndexWork.documentWritten(message.getMailboxId(), message.getUid());
            boolean partial = false;
            for (String name : ENVELOPE) {
                String raw = name.equals("subject") && message.getSubject() != null ? message.getSubject()
                        : CachedStructure.envelopeField(message.getEnvelope(), name);
                if (raw != null) {
                    SearchTerms.Collector collector = new SearchTerms.Collector(SearchTerms.MAX_TEXT_CHARS);
                    collector.headerField(MessageTextScanner.decodeWords(raw));
                    collector.finish();
                    partial |= collector.partial();
                    add(target, fields.envelope().get(name), collector);
                }
            }
            MessageText text = message.indexText();
            if (text == null) {
                text = MessageText.extract(blobs(context).pathOf(message.getBlob().getId()),
                        message.getBodyStructure());
            }
            if (text.failure() != null) {
                LOG.warnf("Message %d in mailbox %d is indexed without its text (%s): the scanner searches it",
                        message.getUid(), message.getMailboxId(), text.failure());
            }
            partial |= text.partial();
            add(target, fields.header(), text.header());
            if (text.body() != null) {
                add(target, fields.body(), text.body());
            }
            target.addValue(fields.partial(), partial);
            if (partial) {
                target.addValue(fields.partialUid(), message.getUid());
            }
        }

        private static void add(DocumentElement target, IndexFieldReference<String> field,
                                SearchTerms.Collector collector) {
            if (collector.partial()) {
                return; // the document is partial: every search considers it, so its terms would only cost space
            }
            for (String term : collector.terms()) {
                target.addValue(field, term);
            }
        }

        private BlobStore blobs(TypeBridgeWriteContext context) {
            BlobStore store = blobs;
            if (store == null) {
                Object configured = context.extension(HibernateOrmExtension.get()).session().getSessionFactory()
                        .getProperties().get(BLOB_DIR_PROPERTY);
                Path root = configured == null || configured.toString().isBlank()
                        ? MerpatiConfig.current().blobDir() : Path.of(configured.toString().trim());
                store = new BlobStore(root);
                blobs = store;
            }
            return store;
        }
    }

    /** SEARCH header names the index serves ({@code Subject}, {@code FROM}...), or null. */
    static String envelopeField(String header) {
        String name = header == null ? null : header.toLowerCase(Locale.ROOT);
        return name != null && ENVELOPE.contains(name) ? name : null;
    }
}
