-- A fingerprint is never empty: a row without one (an upload cut before its fingerprints were written) must never be
-- taken for "already present", nor make the team own a fingerprint every such row would match.
ALTER TABLE "ImportFingerprint" ADD CONSTRAINT "ImportFingerprint_not_empty" CHECK ("fingerprint" <> '');
