-- Courier's schema (docs/architecture.md, "Data"), portable across H2, MySQL/MariaDB and PostgreSQL.
-- ${id_column}, ${text_type} and ${table_options} are Flyway placeholders that io.courier.store.Dialect
-- fills per database. Times are epoch milliseconds (BIGINT). Table names avoid reserved words
-- (GROUPS is reserved in H2 and MySQL 8, hence chat_groups).

CREATE TABLE users (
    id            ${id_column},
    username      VARCHAR(32)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    nickname      VARCHAR(64)  NOT NULL,
    avatar        VARCHAR(512) NOT NULL DEFAULT '',
    signature     VARCHAR(256) NOT NULL DEFAULT '',
    email         VARCHAR(254),
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL,
    disabled      BOOLEAN      NOT NULL DEFAULT FALSE,
    CONSTRAINT uq_users_username UNIQUE (username)
) ${table_options};

-- One row per logged-in device. The refresh token is kept as a SHA-256 of its id; revoked_at = 0
-- while live.
CREATE TABLE user_sessions (
    id           VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id      BIGINT      NOT NULL,
    device_id    VARCHAR(64) NOT NULL,
    refresh_hash VARCHAR(64) NOT NULL,
    created_at   BIGINT      NOT NULL,
    refreshed_at BIGINT      NOT NULL,
    expires_at   BIGINT      NOT NULL,
    revoked_at   BIGINT      NOT NULL DEFAULT 0
) ${table_options};
CREATE INDEX ix_user_sessions_device ON user_sessions (user_id, device_id, revoked_at);
CREATE INDEX ix_user_sessions_expiry ON user_sessions (expires_at);

-- pending_key is 'from:to' while the request is pending and NULL after: a portable way to allow at
-- most one pending request per direction (a unique key admits many NULLs on every database).
CREATE TABLE friend_requests (
    id          ${id_column},
    from_id     BIGINT       NOT NULL,
    to_id       BIGINT       NOT NULL,
    message     VARCHAR(256) NOT NULL DEFAULT '',
    state       VARCHAR(16)  NOT NULL,
    pending_key VARCHAR(48),
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    CONSTRAINT uq_friend_requests_pending UNIQUE (pending_key)
) ${table_options};
CREATE INDEX ix_friend_requests_to ON friend_requests (to_id, state);
CREATE INDEX ix_friend_requests_from ON friend_requests (from_id, state);

-- A friendship is two rows, one per direction, so "my friends" is one index range.
CREATE TABLE friendships (
    user_id    BIGINT NOT NULL,
    friend_id  BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, friend_id)
) ${table_options};

-- One-sided blocks, independent of friendship.
CREATE TABLE user_blocks (
    user_id    BIGINT NOT NULL,
    blocked_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
) ${table_options};

CREATE TABLE chat_groups (
    id           ${id_column},
    name         VARCHAR(64)   NOT NULL,
    owner_id     BIGINT        NOT NULL,
    avatar       VARCHAR(512)  NOT NULL DEFAULT '',
    announcement VARCHAR(2048) NOT NULL DEFAULT '',
    description  VARCHAR(512)  NOT NULL DEFAULT '',
    created_at   BIGINT        NOT NULL,
    dissolved_at BIGINT
) ${table_options};

CREATE TABLE group_members (
    group_id    BIGINT     NOT NULL,
    user_id     BIGINT     NOT NULL,
    role        VARCHAR(8) NOT NULL,
    joined_at   BIGINT     NOT NULL,
    muted_until BIGINT     NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
) ${table_options};
CREATE INDEX ix_group_members_user ON group_members (user_id);

-- A 1:1 conversation id is derived from the ordered pair of user ids, a group's from its id.
CREATE TABLE messages (
    conversation_id VARCHAR(48) NOT NULL,
    seq             BIGINT      NOT NULL,
    message_id      BIGINT      NOT NULL,
    sender_id       BIGINT      NOT NULL,
    client_msg_id   VARCHAR(64) NOT NULL,
    kind            VARCHAR(16) NOT NULL,
    body            ${text_type} NOT NULL,
    created_at      BIGINT      NOT NULL,
    recalled_at     BIGINT,
    PRIMARY KEY (conversation_id, seq),
    CONSTRAINT uq_messages_client UNIQUE (sender_id, client_msg_id),
    CONSTRAINT uq_messages_id UNIQUE (message_id)
) ${table_options};

CREATE TABLE delivery_cursors (
    user_id         BIGINT      NOT NULL,
    device_id       VARCHAR(64) NOT NULL,
    conversation_id VARCHAR(48) NOT NULL,
    delivered_seq   BIGINT      NOT NULL,
    PRIMARY KEY (user_id, device_id, conversation_id)
) ${table_options};

CREATE TABLE read_cursors (
    user_id         BIGINT      NOT NULL,
    conversation_id VARCHAR(48) NOT NULL,
    read_seq        BIGINT      NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
) ${table_options};

CREATE TABLE user_conversations (
    user_id         BIGINT      NOT NULL,
    conversation_id VARCHAR(48) NOT NULL,
    last_seq        BIGINT      NOT NULL,
    updated_at      BIGINT      NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
) ${table_options};
CREATE INDEX ix_user_conversations_updated ON user_conversations (user_id, updated_at);
