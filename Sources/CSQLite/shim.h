#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call: the one setting portinfo makes, wrapped.
   Without memory statistics, allocations take no global mutex (queries on several threads at
   once would otherwise wait on it). Must run before SQLite initializes. */
static inline int portinfo_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* sqlite3_db_config is variadic too. Every connection portinfo opens treats the database as data,
   never as code: no triggers or views run, functions in the schema are not trusted, and
   defensive mode keeps SQL from corrupting the file (writable_schema and the like). */
static inline int portinfo_sqlite3_treat_as_data(sqlite3 *db) {
    int rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)0);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)0);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)0);
    if (rc == SQLITE_OK) rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
    return rc;
}
