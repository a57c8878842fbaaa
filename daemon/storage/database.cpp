#include "storage/database.h"

#include "storage/storagelog.h"

#include <QAtomicInteger>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

namespace mcpgate::storage {

Q_LOGGING_CATEGORY(lcStorage, "mcpgate.storage")

namespace {

const QString sqliteDriver = QStringLiteral("QSQLITE");
const QString postgresDriver = QStringLiteral("QPSQL");
constexpr int defaultPostgresPort = 5432;

// Connections opened by this thread, by the serial number of their Database (never reused, so a
// Database allocated where a destroyed one lived cannot pick up the old connection). A QtSql
// connection must be closed by the thread that opened it: a thread's own exit is the last chance,
// and this thread_local's destructor runs then.
struct ThreadConnection
{
    QString name;
    QElapsedTimer lastUsed;
};

struct ThreadConnections final
{
    QHash<quint64, ThreadConnection> connections;
    ThreadConnections() = default;
    ~ThreadConnections()
    {
        for (const ThreadConnection &connection : std::as_const(connections))
            QSqlDatabase::removeDatabase(connection.name);
    }
    Q_DISABLE_COPY_MOVE(ThreadConnections)
};
thread_local ThreadConnections t_connections;

QAtomicInteger<quint64> s_nextSerial = 1;

QString sqliteUrlPath(const QString &url)
{
    QString path = url;
    if (path.startsWith(QLatin1String("sqlite:"))) {
        path = path.mid(7);
        // "sqlite:///abs/path.db", the URL-style spelling of "sqlite:/abs/path.db".
        if (path.startsWith(QLatin1String("///")))
            path = path.mid(2);
        else if (path.startsWith(QLatin1String("//")))
            throw StorageError("invalid SQLite URL \"" + url.toStdString()
                               + "\": use sqlite:/absolute/path.db or a file path");
    }
    if (path.isEmpty())
        throw StorageError("invalid SQLite URL \"" + url.toStdString() + "\": the path is empty");
    if (path == QLatin1String(":memory:"))
        throw StorageError("in-memory SQLite databases are not supported: every thread would see "
                           "its own empty database; give a file path");
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

// libpq connection options become part of a "key=value key=value" string: refuse anything that
// could smuggle another option in.
bool isSafeOptionValue(const QString &value)
{
    static const QRegularExpression unsafe(QStringLiteral("[\\s;'\"\\\\]"));
    return !value.isEmpty() && !unsafe.match(value).hasMatch();
}

// QUrl's error string quotes the whole URL, password included: keep only the reason.
QString urlProblem(const QUrl &url)
{
    QString reason = url.errorString();
    const qsizetype quote = reason.indexOf(QLatin1String("; source was"));
    if (quote >= 0)
        reason.truncate(quote);
    return reason.isEmpty() || reason.contains(QLatin1Char('@')) ? QStringLiteral("malformed URL")
                                                                 : reason;
}

QString lastErrorText(const QSqlError &error)
{
    QString text = error.text().trimmed();
    return text.isEmpty() ? QStringLiteral("unknown error") : text;
}

} // namespace

std::unique_ptr<Database> Database::open(const QString &url)
{
    std::unique_ptr<Database> db(new Database);
    db->m_url = url.trimmed();
    if (db->m_url.isEmpty())
        throw StorageError("no database URL given");

    const qsizetype schemeEnd = db->m_url.indexOf(QLatin1String("://"));
    const QString scheme = schemeEnd > 0 ? db->m_url.left(schemeEnd).toLower() : QString();
    if (scheme == QLatin1String("postgresql") || scheme == QLatin1String("postgres")) {
        db->m_dialect = Dialect::Postgres;
        db->m_driver = postgresDriver;
        const QUrl parsed(db->m_url, QUrl::StrictMode);
        if (!parsed.isValid())
            throw StorageError("invalid PostgreSQL URL " + db->displayUrl().toStdString() + ": "
                               + urlProblem(parsed).toStdString());
        db->m_hostName = parsed.host(QUrl::FullyDecoded);
        db->m_port = parsed.port(defaultPostgresPort);
        db->m_userName = parsed.userName(QUrl::FullyDecoded);
        db->m_password = parsed.password(QUrl::FullyDecoded);
        db->m_databaseName = parsed.path(QUrl::FullyDecoded);
        if (db->m_databaseName.startsWith(QLatin1Char('/')))
            db->m_databaseName.remove(0, 1);
        if (db->m_databaseName.contains(QLatin1Char('/')))
            throw StorageError("invalid PostgreSQL URL " + db->displayUrl().toStdString()
                               + ": the path must be a single database name");
        static const QRegularExpression optionName(QStringLiteral("^[a-z_]+$"));
        QStringList options;
        bool hasTimeout = false;
        const auto items = QUrlQuery(parsed).queryItems(QUrl::FullyDecoded);
        for (const auto &[key, value] : items) {
            if (!optionName.match(key).hasMatch() || !isSafeOptionValue(value))
                throw StorageError("invalid PostgreSQL URL " + db->displayUrl().toStdString()
                                   + ": bad connection option \"" + key.toStdString() + "\"");
            if (key == QLatin1String("host")) {
                db->m_hostName = value; // a Unix socket directory
            } else if (key == QLatin1String("port")) {
                bool ok = false;
                db->m_port = value.toInt(&ok);
                if (!ok || db->m_port <= 0 || db->m_port > 65535)
                    throw StorageError("invalid PostgreSQL URL " + db->displayUrl().toStdString()
                                       + ": bad port");
            } else if (key == QLatin1String("user")) {
                db->m_userName = value;
            } else if (key == QLatin1String("password")) {
                db->m_password = value;
            } else if (key == QLatin1String("dbname")) {
                db->m_databaseName = value;
            } else {
                hasTimeout = hasTimeout || key == QLatin1String("connect_timeout");
                options.append(key + QLatin1Char('=') + value);
            }
        }
        // Without a timeout libpq waits for the kernel's, minutes, on an unreachable host.
        if (!hasTimeout)
            options.append(QStringLiteral("connect_timeout=10"));
        db->m_connectOptions = options.join(QLatin1Char(';'));
    } else if (!scheme.isEmpty() && scheme != QLatin1String("sqlite")
               && !scheme.contains(QLatin1Char('/'))) {
        throw StorageError("unsupported database URL scheme \"" + scheme.toStdString()
                           + "\": use sqlite:/path/to/file.db, a file path, or postgresql://");
    } else {
        db->m_dialect = Dialect::Sqlite;
        db->m_driver = sqliteDriver;
        db->m_databaseName = sqliteUrlPath(db->m_url);
        db->m_connectOptions = QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000");
        const QString dir = QFileInfo(db->m_databaseName).absolutePath();
        if (!QDir().mkpath(dir))
            throw StorageError("cannot create directory " + dir.toStdString()
                               + " for the SQLite database");
    }

    if (!QSqlDatabase::isDriverAvailable(db->m_driver)) {
        const char *package
            = db->m_dialect == Dialect::Postgres ? "libqt6sql6-psql" : "libqt6sql6-sqlite";
        throw StorageError("the Qt SQL driver " + db->m_driver.toStdString()
                           + " is not available; install it (Debian: " + package + ")");
    }

    db->m_serial = s_nextSerial.fetchAndAddRelaxed(1);
    db->m_connectionPrefix = QStringLiteral("mcpgate-storage-%1-").arg(db->m_serial);

    // Open now, so a wrong path, password or host stops the daemon at start with a clear reason.
    QString error;
    db->threadConnection(&error);
    if (!error.isEmpty())
        throw StorageError(error.toStdString());
    return db;
}

Database::~Database()
{
    releaseThreadConnection();
}

QString Database::displayUrl() const
{
    if (m_dialect == Dialect::Sqlite)
        return m_databaseName.isEmpty() ? m_url : QStringLiteral("sqlite:") + m_databaseName;
    QUrl url(m_url, QUrl::TolerantMode);
    if (!url.isValid())
        return QStringLiteral("postgresql://(invalid URL)");
    if (!url.password().isEmpty())
        url.setPassword(QStringLiteral("***"));
    QUrlQuery query(url);
    if (query.hasQueryItem(QStringLiteral("password"))) {
        query.removeAllQueryItems(QStringLiteral("password"));
        query.addQueryItem(QStringLiteral("password"), QStringLiteral("***"));
        url.setQuery(query);
    }
    return url.toString();
}

QString Database::threadConnectionName() const
{
    return m_connectionPrefix
        + QString::number(reinterpret_cast<quintptr>(QThread::currentThreadId()), 16);
}

QSqlDatabase Database::connection() const
{
    QString error;
    QSqlDatabase db = threadConnection(&error);
    if (!error.isEmpty())
        qCWarning(lcStorage).noquote() << error;
    return db;
}

QSqlDatabase Database::threadConnection(QString *error) const
{
    const auto known = t_connections.connections.find(m_serial);
    if (known != t_connections.connections.end()) {
        QSqlDatabase db = QSqlDatabase::database(known->name, false);
        if (!db.isOpen()) {
            openConnection(db, error);
        } else if (m_dialect == Dialect::Postgres && m_idleCheckMs >= 0
                   && known->lastUsed.hasExpired(m_idleCheckMs) && !ping(db)) {
            // QtSql does not notice a session the server or a firewall dropped meanwhile.
            qCInfo(lcStorage).noquote() << "reconnecting to" << displayUrl();
            db.close();
            openConnection(db, error);
        }
        known->lastUsed.start();
        return db;
    }
    const QString name = threadConnectionName();
    // Left behind by an ended thread whose id this thread now has.
    if (QSqlDatabase::contains(name))
        QSqlDatabase::removeDatabase(name);
    QSqlDatabase db = QSqlDatabase::addDatabase(m_driver, name);
    db.setDatabaseName(m_databaseName);
    if (m_dialect == Dialect::Postgres) {
        if (!m_hostName.isEmpty())
            db.setHostName(m_hostName);
        db.setPort(m_port);
        db.setUserName(m_userName);
        db.setPassword(m_password);
    }
    db.setConnectOptions(m_connectOptions);
    ThreadConnection entry;
    entry.name = name;
    entry.lastUsed.start();
    t_connections.connections.insert(m_serial, entry);
    openConnection(db, error);
    return db;
}

bool Database::openConnection(QSqlDatabase &db, QString *error) const
{
    if (!db.open()) {
        if (m_dialect == Dialect::Sqlite)
            *error = QStringLiteral("cannot open SQLite database %1: %2")
                         .arg(m_databaseName, lastErrorText(db.lastError()));
        else
            *error = QStringLiteral("cannot connect to PostgreSQL database %1: %2")
                         .arg(displayUrl(), lastErrorText(db.lastError()));
        return false;
    }
    if (m_dialect == Dialect::Postgres)
        return true;

    // Per-connection settings: foreign keys and synchronous are not stored in the file.
    // WAL lets readers run while one writer writes; NORMAL is safe with WAL and much faster.
    QString failure;
    QString journalMode;
    {
        QSqlQuery query(db);
        const auto run = [&](const QString &sql) {
            if (failure.isEmpty() && !query.exec(sql))
                failure = lastErrorText(query.lastError());
        };
        run(QStringLiteral("PRAGMA foreign_keys=ON"));
        run(QStringLiteral("PRAGMA journal_mode=WAL"));
        if (failure.isEmpty() && query.next())
            journalMode = query.value(0).toString();
        run(QStringLiteral("PRAGMA synchronous=NORMAL"));
    }
    if (!failure.isEmpty()) {
        *error = QStringLiteral("cannot use SQLite database %1: %2").arg(m_databaseName, failure);
        db.close();
        return false;
    }
    if (journalMode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        qCWarning(lcStorage).noquote()
            << QStringLiteral("SQLite database %1 could not switch to WAL mode (%2); "
                              "readers will wait for writers")
                   .arg(m_databaseName, journalMode);
    return true;
}

bool Database::ping(const QSqlDatabase &db)
{
    if (!db.isOpen())
        return false;
    QSqlQuery query(db);
    return query.exec(QStringLiteral("SELECT 1")) && query.next() && query.value(0).toInt() == 1;
}

bool Database::isReachable() const
{
    QSqlDatabase db = connection();
    if (ping(db))
        return true;
    // A PostgreSQL connection cut by a server restart still reports itself open.
    db.close();
    QString error;
    if (!openConnection(db, &error)) {
        qCWarning(lcStorage).noquote() << error;
        return false;
    }
    return ping(db);
}

void Database::setIdleCheckInterval(int milliseconds)
{
    m_idleCheckMs = milliseconds;
}

void Database::releaseThreadConnection() const
{
    const auto known = t_connections.connections.constFind(m_serial);
    if (known == t_connections.connections.cend())
        return;
    const QString name = known->name;
    t_connections.connections.erase(known);
    QSqlDatabase::removeDatabase(name);
}

} // namespace mcpgate::storage
