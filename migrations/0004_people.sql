-- Profiles, skills and following (issue 5).
-- job, department and site stay in the account table; a member without a
-- profile row has every other field empty and the default visibilities.
-- Birthdays are 'MM-DD' or 'YYYY-MM-DD' ('' when unset); birthday_md keeps
-- the 'MM-DD' part for look-ups by day.  Visibilities: 'everyone',
-- 'communities' (members sharing a community with the owner) or 'me'.

CREATE TABLE profile (
    account_id INTEGER NOT NULL PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
    phone TEXT NOT NULL DEFAULT '',
    birthday TEXT NOT NULL DEFAULT '',
    birthday_md TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    job_visibility TEXT NOT NULL DEFAULT 'everyone'
        CHECK (job_visibility IN ('everyone', 'communities', 'me')),
    department_visibility TEXT NOT NULL DEFAULT 'everyone'
        CHECK (department_visibility IN ('everyone', 'communities', 'me')),
    site_visibility TEXT NOT NULL DEFAULT 'everyone'
        CHECK (site_visibility IN ('everyone', 'communities', 'me')),
    phone_visibility TEXT NOT NULL DEFAULT 'communities'
        CHECK (phone_visibility IN ('everyone', 'communities', 'me')),
    birthday_visibility TEXT NOT NULL DEFAULT 'communities'
        CHECK (birthday_visibility IN ('everyone', 'communities', 'me')),
    skills_visibility TEXT NOT NULL DEFAULT 'everyone'
        CHECK (skills_visibility IN ('everyone', 'communities', 'me')),
    bio_visibility TEXT NOT NULL DEFAULT 'everyone'
        CHECK (bio_visibility IN ('everyone', 'communities', 'me')),
    updated_ms INTEGER NOT NULL
);
CREATE INDEX profile_birthday_md ON profile(birthday_md);

-- Declared skills; name as typed, name_folded (str_fold) for matching and de-duplication.
CREATE TABLE skill (
    account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    PRIMARY KEY (account_id, name_folded)
);
CREATE INDEX skill_name_folded ON skill(name_folded);

-- Who follows whom; no request to accept.
CREATE TABLE follow (
    follower_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    followed_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (follower_id, followed_id)
);
CREATE INDEX follow_followed ON follow(followed_id, follower_id);
