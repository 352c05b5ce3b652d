-- Birthday wishes (issue 5): one per sender, recipient and year of the
-- birthday; messages do not exist yet, so the wish itself is the record.
CREATE TABLE birthday_wish (
    from_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id, year)
);
CREATE INDEX birthday_wish_to ON birthday_wish(to_id, created_ms);
