-- Communities (issue 7): a purpose, a visibility, members with roles,
-- discussions (forum threads) and the site's policy settings.
-- Visibility: 'public' (members read and join), 'private' (listed; content
-- for members; joining by request), 'secret' (invisible to non-members;
-- by invitation only).  An archived community (archived_ms > 0) is
-- read-only and out of the listings; it can be reopened.

CREATE TABLE community (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,               -- str_fold(name): search, sort, uniqueness
    purpose TEXT NOT NULL,                   -- one sentence, at most 200 characters
    description TEXT NOT NULL DEFAULT '',    -- Markdown
    visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private', 'secret')),
    cover_hash TEXT NOT NULL DEFAULT '',     -- cover image stored by content hash, '' when none
    created_by INTEGER REFERENCES account(id) ON DELETE SET NULL,
    created_ms INTEGER NOT NULL,
    archived_ms INTEGER NOT NULL DEFAULT 0,  -- > 0: archived then
    last_activity_ms INTEGER NOT NULL,       -- last post, comment, discussion or reply
    member_count INTEGER NOT NULL DEFAULT 0  -- rows of community_member in state 'member'
);
CREATE UNIQUE INDEX community_name ON community(name_folded);
CREATE INDEX community_activity ON community(archived_ms, last_activity_ms);
-- The directory: listed (not archived) communities in name order (groups_list()).
CREATE INDEX community_listed ON community(archived_ms, name_folded);

-- Membership: a member (state 'member') is an 'animator' or a 'member';
-- a request to join a private community and an invitation wait in their
-- own states.  A community always keeps at least one animator.
CREATE TABLE community_member (
    community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('animator', 'member')),
    state TEXT NOT NULL DEFAULT 'member' CHECK (state IN ('member', 'requested', 'invited')),
    invited_by INTEGER REFERENCES account(id) ON DELETE SET NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (community_id, account_id)
);
CREATE INDEX community_member_account ON community_member(account_id, state, community_id);

-- Posts pinned at the top of a community's feed by its animators.
ALTER TABLE post ADD COLUMN community_pinned_ms INTEGER NOT NULL DEFAULT 0;
-- A community's pinned posts, newest pin first, without walking its feed (feed_list.c).
CREATE INDEX post_community_pinned ON post(community_id, community_pinned_ms);

-- Discussions: forum threads of a community, ordered by last activity.
CREATE TABLE discussion (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    title TEXT NOT NULL,                     -- at most 200 characters
    body TEXT NOT NULL,                      -- Markdown, at most 10,000 characters
    created_ms INTEGER NOT NULL,
    edited_ms INTEGER NOT NULL DEFAULT 0,
    last_activity_ms INTEGER NOT NULL,
    reply_count INTEGER NOT NULL DEFAULT 0,
    sticky INTEGER NOT NULL DEFAULT 0,       -- shown first
    locked INTEGER NOT NULL DEFAULT 0,       -- no more replies
    resolved_reply_id INTEGER                -- the best answer: the thread is resolved
);
CREATE INDEX discussion_community ON discussion(community_id, sticky, last_activity_ms);

CREATE TABLE discussion_reply (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    discussion_id INTEGER NOT NULL REFERENCES discussion(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    edited_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX discussion_reply_discussion ON discussion_reply(discussion_id, id);

-- Members following a thread: they are notified of its replies.
CREATE TABLE discussion_subscription (
    discussion_id INTEGER NOT NULL REFERENCES discussion(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, discussion_id)
);
CREATE INDEX discussion_subscription_discussion ON discussion_subscription(discussion_id);

-- Notifications about a discussion (a reply in a thread one follows).
ALTER TABLE notification ADD COLUMN discussion_id INTEGER REFERENCES discussion(id) ON DELETE CASCADE;
CREATE INDEX notification_discussion ON notification(discussion_id);

-- Notifications about a community itself: an invitation (to the invited
-- member), a request to join (to its animators), an approval (to the
-- requester); kinds in notify/notify.h.  Shown only while they still hold
-- (notify.c), and gone with the community.
ALTER TABLE notification ADD COLUMN community_id INTEGER REFERENCES community(id) ON DELETE CASCADE;
CREATE INDEX notification_community ON notification(community_id, read_ms);

-- Site policy lives in the setting table, absent rows meaning the default:
-- 'communities.create' ('animators', the default, or 'members') and
-- 'communities.private_warn_percent' (30: administrators are warned when
-- private and secret communities exceed that share).
