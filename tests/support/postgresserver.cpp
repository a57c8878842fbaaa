#include "postgresserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QTemporaryDir>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mcpgate::tests {

namespace {

// initdb refuses to run as root, and the server must own its data directory: as root, the
// cluster belongs to Debian's "postgres" account.
struct Account
{
    uid_t uid = 0;
    gid_t gid = 0;
    bool found = false;
};

Account postgresAccount()
{
    Account account;
    if (const passwd *entry = ::getpwnam("postgres")) {
        account.uid = entry->pw_uid;
        account.gid = entry->pw_gid;
        account.found = true;
    }
    return account;
}

quint16 freeLoopbackPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QString readTail(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray text = file.readAll();
    return QString::fromLocal8Bit(text.right(2000));
}

} // namespace

QString PostgresServer::binDir()
{
    return QStringLiteral("/usr/lib/postgresql/15/bin");
}

bool PostgresServer::isInstalled()
{
    return QFileInfo(binDir() + QStringLiteral("/initdb")).isExecutable()
        && QFileInfo(binDir() + QStringLiteral("/pg_ctl")).isExecutable();
}

PostgresServer::PostgresServer() = default;

PostgresServer::~PostgresServer()
{
    stop();
}

bool PostgresServer::runServerTool(const QString &program, const QStringList &arguments,
                                   int timeoutMs)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("PGDATA"));
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    // The server's working directory must be readable by it.
    process.setWorkingDirectory(m_dir->path());
    const QString tool = binDir() + QLatin1Char('/') + program;
    if (m_asPostgresUser) {
        process.start(QStringLiteral("runuser"),
                      QStringList {QStringLiteral("-u"), QStringLiteral("postgres"),
                                   QStringLiteral("--"), tool}
                          + arguments);
    } else {
        process.start(tool, arguments);
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        m_error = program + QStringLiteral(" did not finish: ") + process.errorString();
        return false;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = program + QStringLiteral(" failed (exit code %1): ").arg(process.exitCode())
            + QString::fromLocal8Bit(process.readAll());
        return false;
    }
    return true;
}

bool PostgresServer::start()
{
    if (m_running)
        return true;
    if (!isInstalled()) {
        m_error = QStringLiteral("PostgreSQL 15 is not installed in ") + binDir();
        return false;
    }
    m_dir
        = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/mcpgate-pg-XXXXXX"));
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory: ") + m_dir->errorString();
        return false;
    }
    m_dataDir = m_dir->filePath(QStringLiteral("data"));
    m_socketDir = m_dir->path();
    m_logFile = m_dir->filePath(QStringLiteral("server.log"));
    const QString passwordFile = m_dir->filePath(QStringLiteral("password"));
    {
        QFile file(passwordFile);
        if (!file.open(QIODevice::WriteOnly) || file.write(password().toUtf8() + '\n') < 0) {
            m_error = QStringLiteral("cannot write ") + passwordFile;
            return false;
        }
    }

    m_asPostgresUser = ::geteuid() == 0;
    if (m_asPostgresUser) {
        const Account account = postgresAccount();
        if (!account.found) {
            m_error = QStringLiteral("running as root, but there is no \"postgres\" account to "
                                     "run PostgreSQL as");
            return false;
        }
        const QByteArray dir = QFile::encodeName(m_dir->path());
        const QByteArray pw = QFile::encodeName(passwordFile);
        if (::chown(dir.constData(), account.uid, account.gid) != 0
            || ::chown(pw.constData(), account.uid, account.gid) != 0) {
            m_error = QStringLiteral("cannot hand %1 to the postgres account").arg(m_dir->path());
            return false;
        }
    }

    // Trust over the Unix socket (inside the private temporary directory) for the test's own
    // tools; the password over TCP, so connecting with the URL exercises authentication.
    if (!runServerTool(
            QStringLiteral("initdb"),
            {QStringLiteral("--pgdata=") + m_dataDir, QStringLiteral("--username=") + userName(),
             QStringLiteral("--pwfile=") + passwordFile, QStringLiteral("--auth-local=trust"),
             QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("--no-sync"),
             QStringLiteral("--no-instructions"), QStringLiteral("--encoding=UTF8"),
             QStringLiteral("--locale=C")},
            120000))
        return false;

    QFile config(m_dataDir + QStringLiteral("/postgresql.conf"));
    if (!config.open(QIODevice::Append)) {
        m_error = QStringLiteral("cannot extend ") + config.fileName();
        return false;
    }
    // Durability is worthless for a cluster that lives for one test, and costs seconds.
    config.write("\n# throwaway test cluster\n"
                 "listen_addresses = '127.0.0.1'\n"
                 "unix_socket_directories = '"
                 + QFile::encodeName(m_socketDir)
                 + "'\n"
                   "fsync = off\n"
                   "synchronous_commit = off\n"
                   "full_page_writes = off\n"
                   "max_connections = 50\n"
                   "shared_buffers = 16MB\n");
    config.close();

    // Another process may take the probed port before the server binds it: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        const quint16 port = freeLoopbackPort();
        if (port != 0 && startOnPort(port))
            return true;
    }
    return false;
}

bool PostgresServer::startOnPort(quint16 port)
{
    if (!runServerTool(QStringLiteral("pg_ctl"),
                       {QStringLiteral("start"), QStringLiteral("--pgdata=") + m_dataDir,
                        QStringLiteral("--log=") + m_logFile, QStringLiteral("--wait"),
                        QStringLiteral("--timeout=60"), QStringLiteral("--silent"),
                        QStringLiteral("-o"), QStringLiteral("-p %1").arg(port)},
                       90000)) {
        m_error += QStringLiteral("\nserver log:\n") + readTail(m_logFile);
        return false;
    }
    m_port = port;
    m_running = true;
    return true;
}

void PostgresServer::stop()
{
    if (m_running) {
        m_running = false;
        runServerTool(QStringLiteral("pg_ctl"),
                      {QStringLiteral("stop"), QStringLiteral("--pgdata=") + m_dataDir,
                       QStringLiteral("--mode=immediate"), QStringLiteral("--wait"),
                       QStringLiteral("--silent")},
                      60000);
    }
    m_dir.reset();
}

bool PostgresServer::runClient(const QString &program, const QStringList &arguments,
                               QByteArray *output)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PGHOST"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("PGPORT"), QString::number(m_port));
    env.insert(QStringLiteral("PGUSER"), userName());
    env.insert(QStringLiteral("PGPASSWORD"), password());
    env.insert(QStringLiteral("PGDATABASE"), QStringLiteral("postgres"));
    process.setProcessEnvironment(env);
    process.start(binDir() + QLatin1Char('/') + program, arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
        m_error = program + QStringLiteral(" did not finish");
        return false;
    }
    if (output)
        *output = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        m_error = program + QStringLiteral(" failed: ")
            + QString::fromLocal8Bit(process.readAllStandardError());
        return false;
    }
    return true;
}

bool PostgresServer::createDatabase(const QString &name)
{
    return runClient(QStringLiteral("createdb"), {QStringLiteral("--"), name});
}

QString PostgresServer::url(const QString &databaseName) const
{
    return QStringLiteral("postgresql://%1:%2@127.0.0.1:%3/%4")
        .arg(userName(), password(), QString::number(m_port), databaseName);
}

} // namespace mcpgate::tests
