-- Groups: policy and moderation on the group; the conversation head (last seq and time) kept on
-- the group rather than on every member's conversation-list row (read diffusion: one write per
-- message, not one per member).
ALTER TABLE chat_groups ADD join_policy VARCHAR(16) NOT NULL DEFAULT 'open';
ALTER TABLE chat_groups ADD mute_all BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE chat_groups ADD max_members INT NOT NULL DEFAULT 2000;
ALTER TABLE chat_groups ADD member_count INT NOT NULL DEFAULT 0;
ALTER TABLE chat_groups ADD last_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chat_groups ADD last_message_at BIGINT NOT NULL DEFAULT 0;

-- joined_seq: the group's last seq when the member joined (earlier messages are history, not
-- unread news); mention_seq: the newest message that mentioned the member or everyone.
ALTER TABLE group_members ADD nickname VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE group_members ADD joined_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE group_members ADD mention_seq BIGINT NOT NULL DEFAULT 0;

-- Requests to join (inviter_id 0) and invitations. pending_key is 'group:user' while pending, so a
-- user has at most one pending request or invitation per group.
CREATE TABLE group_join_requests (
    id          ${id_column},
    group_id    BIGINT       NOT NULL,
    user_id     BIGINT       NOT NULL,
    inviter_id  BIGINT       NOT NULL DEFAULT 0,
    message     VARCHAR(256) NOT NULL DEFAULT '',
    state       VARCHAR(16)  NOT NULL,
    pending_key VARCHAR(48),
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL,
    CONSTRAINT uq_group_join_pending UNIQUE (pending_key)
) ${table_options};
CREATE INDEX ix_group_join_requests_group ON group_join_requests (group_id, state);
CREATE INDEX ix_group_join_requests_user ON group_join_requests (user_id, state);
