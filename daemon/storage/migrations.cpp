#include "storage/migrations.h"

#include "storage/database.h"

#include <iterator>

namespace mcpgate::storage {

namespace {

// Conventions both dialects share: ids and timestamps are TEXT (timestamps in the sqltime.h
// format), JSON documents are TEXT. Booleans and binary data use each engine's own type.

constexpr const char *sqliteInitialSchema[] = {
    R"(CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        created_at TEXT NOT NULL))",
    R"(CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        prefix TEXT NOT NULL UNIQUE,
        secret_hash TEXT NOT NULL,
        role TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at TEXT NULL,
        revoked_at TEXT NULL,
        last_used_at TEXT NULL))",
    R"(CREATE TABLE servers (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        display_name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        transport TEXT NOT NULL,
        transport_config TEXT NOT NULL,
        credential_type TEXT NOT NULL DEFAULT 'none',
        credential_header TEXT NULL,
        credential_secret BLOB NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        owner TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        UNIQUE (tenant_id, name)))",
    "CREATE INDEX servers_tenant_created ON servers (tenant_id, created_at, id)",
    "CREATE INDEX servers_tenant_updated ON servers (tenant_id, updated_at, id)",
    R"(CREATE TABLE server_tags (
        server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (server_id, tag)))",
    "CREATE INDEX server_tags_tag ON server_tags (tag, server_id)",
};

constexpr const char *postgresInitialSchema[] = {
    R"(CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        created_at TEXT NOT NULL))",
    R"(CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        prefix TEXT NOT NULL UNIQUE,
        secret_hash TEXT NOT NULL,
        role TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at TEXT NULL,
        revoked_at TEXT NULL,
        last_used_at TEXT NULL))",
    R"(CREATE TABLE servers (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id),
        name TEXT NOT NULL,
        display_name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        transport TEXT NOT NULL,
        transport_config TEXT NOT NULL,
        credential_type TEXT NOT NULL DEFAULT 'none',
        credential_header TEXT NULL,
        credential_secret BYTEA NULL,
        enabled BOOLEAN NOT NULL,
        owner TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        UNIQUE (tenant_id, name)))",
    "CREATE INDEX servers_tenant_created ON servers (tenant_id, created_at, id)",
    "CREATE INDEX servers_tenant_updated ON servers (tenant_id, updated_at, id)",
    R"(CREATE TABLE server_tags (
        server_id TEXT NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (server_id, tag)))",
    "CREATE INDEX server_tags_tag ON server_tags (tag, server_id)",
};

constexpr Migration sqliteMigrations[] = {
    {1, "tenants, API keys, servers and tags", sqliteInitialSchema},
};

constexpr Migration postgresMigrations[] = {
    {1, "tenants, API keys, servers and tags", postgresInitialSchema},
};

static_assert(std::size(sqliteMigrations) == std::size(postgresMigrations),
              "every migration needs a SQLite and a PostgreSQL version");

} // namespace

std::span<const Migration> migrations(Dialect dialect)
{
    if (dialect == Dialect::Postgres)
        return postgresMigrations;
    return sqliteMigrations;
}

} // namespace mcpgate::storage
