// Brings a database's schema up to the version this build knows, one migration per transaction,
// and refuses a database written by a newer mcpgated rather than corrupting it.
#pragma once

namespace mcpgate::storage {

class Database;

class Migrator final
{
public:
    // The schema version this build creates.
    static int latestVersion();
    // The highest applied migration; 0 for an empty database. Throws StorageError.
    static int currentVersion(Database &db);
    // Applies every missing migration in order, each in its own transaction recorded in
    // schema_migrations. Safe when several daemons start at once on one PostgreSQL database.
    // Throws StorageError when a migration fails (that migration is rolled back) or when the
    // database's schema is newer than latestVersion().
    static void migrate(Database &db);
};

} // namespace mcpgate::storage
