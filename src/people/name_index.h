/*
 * name_index.h - the directory's index of name words (people_directory.c).
 *
 * The directory finds members by the start of any word of their name
 * ("hel mar" finds "Hélène Martin"): each word of the folded name of each
 * member who is not deactivated is a row of the person_word table, and a
 * search is an index range scan per query word.  Whoever changes an
 * account's name or status calls people_name_index() in the same
 * transaction (auth_account_create(), auth_account_set_active(), the
 * profile save, the benchmark generator); accounts that existed before the
 * table are indexed once by people_name_index_backfill(), which app_open()
 * runs after the migrations.  This header is kept small so that lower
 * modules (auth) can include it without the rest of the people module.
 */
#ifndef RUCHE_PEOPLE_NAME_INDEX_H
#define RUCHE_PEOPLE_NAME_INDEX_H

#include "../core/core.h"

struct arena;
struct db;

#define PEOPLE_NAME_WORDS_MAX 64 /* words kept of one name (a name has at most 120 characters) */

/*
 * The words of text as the index keeps them: str_fold()ed, split at spaces
 * and punctuation (ASCII other than letters and digits, Latin-1 symbols,
 * U+2000..U+206F, U+3000), without duplicates, in order of appearance, at
 * most PEOPLE_NAME_WORDS_MAX.  With joined, a space-separated part cut by
 * punctuation also gives its parts joined ("Jean-Pierre" -> "jean",
 * "pierre", "jeanpierre"; "O'Neil" -> "o", "neil", "oneil"), so that a
 * search typed without the hyphen finds it.  *words receives NUL-terminated
 * strings in arena memory; returns their count.
 */
size_t people_name_words(struct arena *a, const char *text, bool joined, const char ***words);

/*
 * Index account_id as the account table now has it: the words of its
 * name_folded, or none when it is deactivated or gone.  In one transaction
 * (nested in the caller's, if any).  ERR_DB.
 */
int people_name_index(struct db *db, int64_t account_id);

/*
 * Index the accounts listed in person_word_pending (by migration 0008),
 * in transactions of a few hundred, until the list is empty.  ERR_DB.
 */
int people_name_index_backfill(struct db *db);

#endif
