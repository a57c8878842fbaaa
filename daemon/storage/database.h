// The daemon's database: SQLite (embedded default, WAL) or PostgreSQL, chosen by URL. Hands out
// one QSqlDatabase connection per thread, since a QtSql connection belongs to its thread.
#pragma once

#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <stdexcept>

namespace mcpgate::storage {

enum class Dialect { Sqlite, Postgres };

class StorageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class Database final
{
public:
    // `url` is "sqlite:/abs/path.db", a plain file path (SQLite), or
    // "postgresql://user:password@host:port/dbname?sslmode=...". Throws StorageError with a
    // message fit for an operator when the database cannot be opened.
    static std::unique_ptr<Database> open(const QString &url);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    Dialect dialect() const { return m_dialect; }
    // The URL with any password replaced by "***", for logs and /readyz.
    QString displayUrl() const;

    // The calling thread's connection, opened on first use.
    QSqlDatabase connection() const;
    // True when a trivial query succeeds.
    bool isReachable() const;

private:
    Database() = default;
    Dialect m_dialect = Dialect::Sqlite;
    QString m_url;
    QString m_connectionPrefix;
};

} // namespace mcpgate::storage
