-- Merpati schema, version 9: blob garbage collection.
--
-- Portability: as V1, this file runs unchanged on PostgreSQL 15+ and H2 2.3.

-- When the blob's reference count last dropped to zero; NULL while it is referenced. The collector removes a
-- blob (file, then row, under the row lock) only when it has had no reference for a grace period, so that a
-- transaction which read a reference just before it was released (a COPY, a FETCH being set up) does not meet
-- a missing file.
ALTER TABLE blobs ADD COLUMN released_at TIMESTAMP WITH TIME ZONE;

-- Rows already unreferenced start their grace period now: their release time was not recorded.
UPDATE blobs SET released_at = CURRENT_TIMESTAMP WHERE ref_count = 0;

-- The collector's candidates. Only a release to zero and the next reference write the column, so deliveries
-- (which add references to blobs that are referenced) leave the index alone.
CREATE INDEX ix_blobs_released_at ON blobs (released_at);
