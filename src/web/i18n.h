/*
 * i18n.h - the interface in French by default, in English per member.
 *
 * Message ids are the French text itself, so French needs no catalog
 * lookup; po/en.po (embedded in the binary) gives the English.  Mark
 * strings with _(r, "Texte") where a request is at hand, N_("Texte") in
 * static tables (translated later with i18n_text()).  xgettext keywords:
 * --keyword=_:2 --keyword=N_.
 */
#ifndef RUCHE_I18N_H
#define RUCHE_I18N_H

#include "../core/core.h"

/* Load the embedded catalogs; call once at start-up, before threads. */
int i18n_init(void);
void i18n_release(void);

/* Translation of msgid into lang ("fr", "en"); msgid itself when none. */
const char *i18n_text(const char *lang, const char *msgid);

/* Best supported language for an Accept-Language header; "fr" by default. */
const char *i18n_negotiate(const char *accept_language);
/* True for "fr" and "en". */
bool i18n_is_supported(const char *lang);

struct arena;
/*
 * When something happened, as people say it: "à l'instant", "il y a 5 min",
 * "il y a 3 h", then "12 mars à 14:05" this year and "12 mars 2025"
 * before (UTC).  Memory from a.
 */
const char *i18n_when(const char *lang, struct arena *a, int64_t ms, int64_t now_ms);

#define _(r, msgid) i18n_text((r)->lang, "" msgid "")
#define N_(msgid) msgid

#endif
