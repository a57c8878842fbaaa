// A throwaway PostgreSQL 15 cluster for tests: initdb into a temporary directory, started on
// 127.0.0.1 with a free port, stopped and deleted again when the object goes away.
#pragma once

#include <QString>

#include <memory>

class QTemporaryDir;

namespace mcpgate::tests {

class PostgresServer final
{
public:
    // Where Debian's postgresql-15 package puts the server binaries.
    static QString binDir();
    // False when the PostgreSQL 15 server binaries are not installed (tests then QSKIP).
    static bool isInstalled();

    PostgresServer();
    // Stops the server (immediate shutdown) and deletes its data directory.
    ~PostgresServer();
    PostgresServer(const PostgresServer &) = delete;
    PostgresServer &operator=(const PostgresServer &) = delete;

    // Creates and starts the cluster; the superuser is userName() with password(), which the
    // server demands over TCP. Returns false with errorString() set on failure.
    bool start();
    bool isRunning() const { return m_running; }
    QString errorString() const { return m_error; }

    quint16 port() const { return m_port; }
    QString userName() const { return QStringLiteral("mcpgate"); }
    QString password() const { return QStringLiteral("test-secret"); }
    // Creates an empty database owned by userName(). Returns false with errorString() set.
    bool createDatabase(const QString &name);
    // "postgresql://mcpgate:test-secret@127.0.0.1:PORT/NAME".
    QString url(const QString &databaseName = QStringLiteral("postgres")) const;

    // Runs a client program of binDir() (psql, createdb...) against the server, as the
    // superuser, and returns its standard output; sets errorString() when it fails.
    bool runClient(const QString &program, const QStringList &arguments,
                   QByteArray *output = nullptr);

private:
    bool runServerTool(const QString &program, const QStringList &arguments, int timeoutMs);
    bool startOnPort(quint16 port);
    void stop();

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dataDir;
    QString m_socketDir;
    QString m_logFile;
    quint16 m_port = 0;
    bool m_running = false;
    bool m_asPostgresUser = false;
    QString m_error;
};

} // namespace mcpgate::tests
