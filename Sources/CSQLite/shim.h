#include <sqlite3.h>

/* sqlite3_config is variadic, which Swift cannot call: the one setting portinfo makes, wrapped.
   Without memory statistics, allocations take no global mutex (queries on several threads at
   once would otherwise wait on it). Must run before SQLite initializes. */
static inline int portinfo_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
