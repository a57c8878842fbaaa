#include "servecommand.h"

#include "api/restapi.h"
#include "auth/apikeyauthenticator.h"
#include "auth/apikeystore.h"
#include "auth/tenantstore.h"
#include "firststart.h"
#include "http/dispatcher.h"
#include "http/httpserver.h"
#include "http/router.h"
#include "logging.h"
#include "registry/serverrepository.h"
#include "signalwatcher.h"
#include "storage/database.h"
#include "storage/migrator.h"
#include "storage/secretbox.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSslKey>
#include <QTextStream>
#include <QTimer>

#include <mcpgate/version.h>

Q_LOGGING_CATEGORY(lcDaemon, "mcpgate.daemon", QtInfoMsg)

namespace mcpgate::cli {

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString() + ": "
                                 + file.errorString().toStdString());
    return file.readAll();
}

QSslConfiguration loadTls(const config::Settings &settings)
{
    const QList<QSslCertificate> chain
        = QSslCertificate::fromData(readFile(settings.tlsCertificate), QSsl::Pem);
    if (chain.isEmpty())
        throw std::runtime_error(settings.tlsCertificate.toStdString()
                                 + ": no PEM certificate found");
    const QByteArray keyPem = readFile(settings.tlsPrivateKey);
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        throw std::runtime_error(settings.tlsPrivateKey.toStdString()
                                 + ": no unencrypted RSA or EC private key found");
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    return configuration;
}

QString hostForUrl(const QHostAddress &address)
{
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return u'[' + address.toString() + u']';
    return address.toString();
}

} // namespace

ServeCommand::ServeCommand(config::Settings settings)
    : m_settings(std::move(settings))
{ }

int ServeCommand::run()
{
    installLogging(
        m_settings.logFormat == config::LogFormat::Json ? LogStyle::Json : LogStyle::Text,
        m_settings.logRules
            + (m_settings.logAccess ? QString() : QStringLiteral(";mcpgate.http.access=false")));
    QTextStream out(stdout);
    QTextStream err(stderr);

    std::unique_ptr<storage::Database> database;
    std::unique_ptr<storage::SecretBox> secrets;
    try {
        if (!QDir().mkpath(m_settings.dataDir))
            throw std::runtime_error("cannot create the data directory "
                                     + m_settings.dataDir.toStdString());
        QFile::setPermissions(m_settings.dataDir,
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                  | QFileDevice::ExeOwner);
        database = storage::Database::open(m_settings.database);
        storage::Migrator::migrate(*database);
        secrets = storage::SecretBox::load(m_settings.secretKeyFile);
    } catch (const std::exception &error) {
        err << "mcpgated: " << error.what() << '\n';
        return 1;
    }

    registry::ServerRepository servers(*database, *secrets);
    auth::TenantStore tenants(*database);
    auth::ApiKeyStore keys(*database);

    FirstStartResult firstStart;
    try {
        firstStart = FirstStart(tenants, keys, servers)
                         .run(m_settings.dataDir, m_settings.registerDemo, m_settings.demoCommand);
    } catch (const std::exception &error) {
        err << "mcpgated: first start failed: " << error.what() << '\n';
        return 1;
    }

    http::Router router;
    api::RestApi restApi(*database, servers);
    restApi.registerRoutes(router);
    try {
        router.validate();
    } catch (const std::invalid_argument &error) {
        err << "mcpgated: refusing to start with an unsafe route table: " << error.what() << '\n';
        return 1;
    }

    auth::ApiKeyAuthenticator authenticator(keys);
    http::Dispatcher dispatcher(router, authenticator);
    http::HttpServer server(
        [&dispatcher](const http::ExchangePtr &exchange) { dispatcher.dispatch(exchange); });
    http::HttpServerLimits limits;
    limits.maxConnections = m_settings.maxConnections;
    limits.maxHeaderBytes = static_cast<int>(m_settings.maxHeaderBytes);
    limits.maxBodyBytes = m_settings.maxBodyBytes;
    limits.headerTimeoutMs = m_settings.headerTimeoutMs;
    limits.idleTimeoutMs = m_settings.idleTimeoutMs;
    server.setLimits(limits);
    if (m_settings.tlsEnabled()) {
        try {
            server.setTlsConfiguration(loadTls(m_settings));
        } catch (const std::exception &error) {
            err << "mcpgated: TLS: " << error.what() << '\n';
            return 2;
        }
    }
    if (!server.listen(m_settings.listenAddress, m_settings.listenPort)) {
        err << "mcpgated: cannot listen on " << m_settings.listen << ": " << server.errorString()
            << '\n';
        return 1;
    }

    SignalWatcher signalWatcher;
    bool stopping = false;
    QObject::connect(
        &signalWatcher, &SignalWatcher::terminationRequested, &server, [&](int number) {
            if (stopping) {
                qCWarning(lcDaemon) << "second signal; exiting now";
                QCoreApplication::exit(1);
                return;
            }
            stopping = true;
            qCInfo(lcDaemon) << "signal" << number << "received; draining connections for up to"
                             << m_settings.shutdownGraceMs << "ms";
            server.shutdown(m_settings.shutdownGraceMs);
            QTimer::singleShot(m_settings.shutdownGraceMs + 1000, &server,
                               [] { QCoreApplication::exit(0); });
        });
    QObject::connect(&server, &http::HttpServer::drained, &server,
                     [] { QCoreApplication::exit(0); });

    qCInfo(lcDaemon).noquote() << "mcpgated" << MCPGATE_VERSION << "using" << database->displayUrl()
                               << "and data directory" << m_settings.dataDir;
    if (firstStart.bootstrapped) {
        out << "First start: created tenant 'default'.\n"
            << "initial admin API key: " << firstStart.adminKey << '\n'
            << "(shown once; also saved to " << firstStart.adminKeyFile << " with mode 0600)\n";
        if (firstStart.demoRegistered)
            out << "Registered the demo MCP server as 'demo' (" << m_settings.demoCommand << ").\n";
    }
    const QString scheme
        = m_settings.tlsEnabled() ? QStringLiteral("https") : QStringLiteral("http");
    out << "listening on " << scheme << "://" << hostForUrl(server.serverAddress()) << ':'
        << server.serverPort() << '\n';
    out.flush();

    const int code = QCoreApplication::exec();
    qCInfo(lcDaemon) << "stopped";
    return code;
}

} // namespace mcpgate::cli
