-- The nickname as user search matches it: lower-cased by Courier (Locale.ROOT, every Unicode letter),
-- because SQLite's LOWER() folds only ASCII. Rows written before this migration get the database's
-- own LOWER(), which is Unicode-aware on H2, MySQL/MariaDB and PostgreSQL (the databases that can
-- hold such rows).
ALTER TABLE users ADD search_name VARCHAR(64) NOT NULL DEFAULT '';
UPDATE users SET search_name = LOWER(nickname);
