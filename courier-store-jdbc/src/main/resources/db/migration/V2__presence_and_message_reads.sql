-- When a user's last device disconnected (epoch ms; 0 = never seen).
ALTER TABLE users ADD last_seen_at BIGINT NOT NULL DEFAULT 0;

-- History pages and sync read messages of one conversation by seq (the primary key serves them);
-- the conversation list is read per user by recency (ix_user_conversations_updated).
-- Deduplication looks up (sender_id, client_msg_id), which uq_messages_client already indexes.
