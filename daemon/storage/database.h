// The daemon's database: SQLite (embedded default, WAL) or PostgreSQL, chosen by URL. Hands out
// one QSqlDatabase connection per thread, since a QtSql connection belongs to its thread.
#pragma once

#include <QSqlDatabase>
#include <QString>

#include <memory>
#include <stdexcept>

namespace mcpgate::storage {

enum class Dialect
{
    Sqlite,
    Postgres
};

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
    // Closes the destroying thread's connection. Connections of other threads are closed when
    // those threads end, or earlier by releaseThreadConnection().
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    Dialect dialect() const { return m_dialect; }
    // The URL with any password replaced by "***", for logs and /readyz.
    QString displayUrl() const;

    // The calling thread's connection, opened on first use. Never throws: when the database
    // cannot be reached the connection is returned closed and queries on it fail.
    QSqlDatabase connection() const;
    // True when a trivial query succeeds. Reconnects once when a kept connection went stale.
    bool isReachable() const;
    // Closes the calling thread's connection now. Every thread's connection is also closed
    // automatically when that thread ends; call this from long-lived pool threads that are
    // done with the database. Any QSqlQuery still alive on the connection stops working.
    void releaseThreadConnection() const;
    // PostgreSQL only: a connection unused for longer than this is checked with "SELECT 1"
    // before it is handed out, and reopened when the server dropped it meanwhile (restart,
    // idle-session timeout, a firewall). Default 10 s; negative turns the check off. Set it before
    // other threads use the database.
    void setIdleCheckInterval(int milliseconds);

private:
    Database() = default;
    QString threadConnectionName() const;
    QSqlDatabase threadConnection(QString *error) const;
    bool openConnection(QSqlDatabase &db, QString *error) const;
    static bool ping(const QSqlDatabase &db);

    Dialect m_dialect = Dialect::Sqlite;
    QString m_url;
    QString m_connectionPrefix;
    quint64 m_serial = 0;
    int m_idleCheckMs = 10000;
    // Connection parameters, parsed once from the URL.
    QString m_driver;
    QString m_databaseName;
    QString m_hostName;
    int m_port = -1;
    QString m_userName;
    QString m_password;
    QString m_connectOptions;
};

} // namespace mcpgate::storage
