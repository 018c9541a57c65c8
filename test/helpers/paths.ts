/** Where the migrated PGlite of a test run is dumped, and the PostgreSQL template database's name. */
export const PGLITE_DUMP = new URL('../../.tmp/test-template.pglite.tar', import.meta.url)
export const TEMPLATE_DB = 'ce_test_template'
