-- Profile photos (issue 5).  photo_256 and photo_64 are the BLAKE2b hashes
-- (hex) of the re-encoded JPEG thumbnails stored under DATA/files/ab/cd/;
-- '' when the member has no photo.  photo_visibility works like the other
-- fields' visibilities.
ALTER TABLE profile ADD COLUMN photo_256 TEXT NOT NULL DEFAULT '';
ALTER TABLE profile ADD COLUMN photo_64 TEXT NOT NULL DEFAULT '';
ALTER TABLE profile ADD COLUMN photo_visibility TEXT NOT NULL DEFAULT 'everyone'
    CHECK (photo_visibility IN ('everyone', 'communities', 'me'));
