-- p2pchat registry, schema version 2: nonces of signed requests, shared by every server on this database,
-- so a signed EXIT_NETWORK, LISTPEER, REGISTER or HEARTBEAT accepted by one server cannot be replayed to
-- another within the freshness window (docs/identity.md). Rows past their expiry are deleted as servers
-- claim new nonces; a nonce is only ever needed until its request's timestamp leaves the window.

CREATE TABLE request_nonce (
  -- The signer's key and the request's nonce, as "KEY NONCE".
  id      TEXT PRIMARY KEY,
  expires TIMESTAMPTZ NOT NULL
);

CREATE INDEX request_nonce_expires ON request_nonce (expires);
