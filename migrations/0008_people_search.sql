-- The directory's name index, and finding who uses a photo file (issue 5).
--
-- person_word holds each word of the folded name of each member who is not deactivated
-- (people_name_words() in src/people/people_directory.c: account.name_folded split at
-- spaces and punctuation, plus the joined form of a hyphenated or apostrophed part), with
-- the folded name itself, so that a name search is an index range scan per query word,
-- word >= 'hel' AND word < 'hem', whose rows carry the directory's order (name_folded,
-- account_id) without a look-up of the account.  Words are BLOBs (their UTF-8 bytes):
-- both engines compare BLOBs byte by byte, whatever the collation of a PostgreSQL
-- database, so the words starting with a prefix are one contiguous range.
CREATE TABLE person_word (
    word BLOB NOT NULL,
    name_folded TEXT NOT NULL,  -- account.name_folded, kept equal by people_name_index()
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    PRIMARY KEY (word, name_folded, account_id)
);
CREATE INDEX person_word_account ON person_word(account_id, word);

-- Accounts whose words are still to be written: splitting names is done in C, so this
-- migration only lists the existing accounts, and people_name_index_backfill() (run by
-- app_open() after the migrations) indexes them and empties the list.
CREATE TABLE person_word_pending (
    account_id INTEGER NOT NULL PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE
);
INSERT INTO person_word_pending(account_id) SELECT id FROM account;

-- "Does any profile still use this photo file?" (a replaced or removed photo's thumbnails
-- are deleted when no profile references their hash any more: src/people/photo.c).
CREATE INDEX profile_photo_256 ON profile(photo_256);
CREATE INDEX profile_photo_64 ON profile(photo_64);

-- The newcomers block reads the last members to join, walking this index backwards.
CREATE INDEX account_created ON account(created_ms);
