-- The feed (issue 6): posts, comments, reactions, mentions, tags,
-- revisions, attachments, link previews, announcements and notifications.
-- A post belongs to its author's profile (community_id NULL, readable by
-- every member but guests) or to a community (issue 7).  Deleting a post
-- deletes everything hanging from it: deleted content must vanish from
-- every page, feed, API and Atom feed.

CREATE TABLE post (
    id INTEGER PRIMARY KEY AUTOINCREMENT,    -- ids grow with time: the feeds' keyset order
    author_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    community_id INTEGER,                    -- NULL: on the author's profile
    body TEXT NOT NULL,                      -- Markdown as typed
    link_url TEXT NOT NULL DEFAULT '',       -- the first http(s) URL of the body: its preview
    created_ms INTEGER NOT NULL,
    edited_ms INTEGER NOT NULL DEFAULT 0,    -- 0: never edited
    pinned_ms INTEGER NOT NULL DEFAULT 0,    -- > 0: a site announcement, pinned then
    comment_count INTEGER NOT NULL DEFAULT 0,
    reaction_count INTEGER NOT NULL DEFAULT 0,
    attachment_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX post_author ON post(author_id, id);
CREATE INDEX post_community ON post(community_id, id);
CREATE INDEX post_pinned ON post(pinned_ms);

-- Earlier bodies of an edited post, oldest first.
CREATE TABLE post_revision (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_ms INTEGER NOT NULL              -- when this body was written
);
CREATE INDEX post_revision_post ON post_revision(post_id, id);

-- Comments; parent_id makes a reply (one level: a reply's parent is never a reply).
CREATE TABLE comment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES comment(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    edited_ms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comment_post ON comment(post_id, id);
CREATE INDEX comment_parent ON comment(parent_id);

CREATE TABLE comment_revision (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comment(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE INDEX comment_revision_comment ON comment_revision(comment_id, id);

-- One reaction per member and post; kinds are fixed in feed.h.
CREATE TABLE reaction (
    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('like', 'bravo', 'idea', 'thanks', 'support')),
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (post_id, account_id)
);

-- Members mentioned in a post (or in one of its comments): their home feed shows it.
CREATE TABLE post_mention (
    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, post_id)
);
CREATE INDEX post_mention_post ON post_mention(post_id);

-- #tags of a post, folded (str_fold): "#Comptabilité" and "#comptabilite" are one tag.
CREATE TABLE post_tag (
    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (tag, post_id)
);
CREATE INDEX post_tag_post ON post_tag(post_id);

-- Announcements a member dismissed from the top of the home feed.
CREATE TABLE announcement_dismissal (
    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, post_id)
);
CREATE INDEX announcement_dismissal_post ON announcement_dismissal(post_id);

-- Files and images attached to a post, stored by content hash under files/.
CREATE TABLE attachment (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL REFERENCES post(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,               -- 0 to 9, the order given
    kind TEXT NOT NULL CHECK (kind IN ('image', 'file')),
    name TEXT NOT NULL,                      -- file name as uploaded (sanitised)
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,                   -- bytes
    hash TEXT NOT NULL,                      -- the stored file (images: re-encoded, metadata gone)
    thumb_hash TEXT NOT NULL DEFAULT '',     -- images: the thumbnail shown in the feed
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachment_post ON attachment(post_id, position);
CREATE INDEX attachment_hash ON attachment(hash);
CREATE INDEX attachment_thumb_hash ON attachment(thumb_hash);

-- Previews of shared links, fetched by a background job, shared by every post of the URL.
CREATE TABLE link_preview (
    url TEXT NOT NULL PRIMARY KEY,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'failed')),
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    image_hash TEXT NOT NULL DEFAULT '',     -- thumbnail of the page's image, stored like photos
    site_name TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',          -- why it failed (logged, never shown)
    fetched_ms INTEGER NOT NULL DEFAULT 0
);

-- What happened to a member (a mention, a comment on their post, a reaction).
-- Stored here; the notifications issue delivers them by mail and digest.
CREATE TABLE notification (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,                      -- 'mention', 'comment', 'reaction'
    actor_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES post(id) ON DELETE CASCADE,
    comment_id INTEGER REFERENCES comment(id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    read_ms INTEGER NOT NULL DEFAULT 0       -- 0: unread
);
CREATE INDEX notification_account ON notification(account_id, read_ms, id);
-- Deleting a post or comment cascades here.
CREATE INDEX notification_post ON notification(post_id);
CREATE INDEX notification_comment ON notification(comment_id);

-- The personal Atom feed's address holds a keyed hash of the member's id and
-- this generation (feed.h): regenerating it bumps the generation, and the
-- old address stops working.  A member without a row is at generation 0.
CREATE TABLE feed_key (
    account_id INTEGER NOT NULL PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
    generation INTEGER NOT NULL
);
