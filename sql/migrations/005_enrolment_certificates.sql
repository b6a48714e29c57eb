-- Enrolment certificates (crypto/enrolment.ts): an Ed25519 signature by a root key or an
-- enrolled admin over the reviewer's role and public keys. A worker configured with roots
-- seals record keys only to reviewers whose certificate chains to one; rows without one stay
-- readable by workers that are not (ENROLMENT_ROOTS unset).
ALTER TABLE reviewers
  ADD COLUMN cert_signer    bytea CHECK (octet_length(cert_signer) = 32),
  ADD COLUMN cert_signature bytea CHECK (octet_length(cert_signature) = 64),
  ADD CONSTRAINT reviewers_cert_whole CHECK ((cert_signer IS NULL) = (cert_signature IS NULL));
