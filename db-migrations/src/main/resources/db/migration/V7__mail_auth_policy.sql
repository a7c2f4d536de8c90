-- Merpati schema, version 7: how inbound mail authentication (DMARC) is applied per recipient domain.
--
-- Portability: as V1, this file runs unchanged on PostgreSQL 15+ and H2 2.3.

-- ENFORCE: a DMARC reject is answered 550 5.7.1 (when every recipient's domain enforces), a quarantine goes
-- to the recipient's Junk folder. REPORT_ONLY: the results are recorded in Authentication-Results and the
-- message goes to INBOX.
ALTER TABLE domains ADD COLUMN dmarc_enforcement VARCHAR(16) DEFAULT 'ENFORCE' NOT NULL;
ALTER TABLE domains ADD CONSTRAINT ck_domains_dmarc_enforcement
    CHECK (dmarc_enforcement IN ('ENFORCE', 'REPORT_ONLY'));
