#include "httpserver.h"

#include "httpconnection.h"

#include <QLoggingCategory>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTimer>

Q_LOGGING_CATEGORY(lcServer, "mcpgate.http.server", QtInfoMsg)

namespace mcpgate::http {

HttpServer::HttpServer(RequestHandler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{ }

HttpServer::~HttpServer()
{
    // Connections refer to m_handler: end them while it is still alive.
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *connection : connections)
        delete connection;
}

void HttpServer::setTlsConfiguration(const QSslConfiguration &configuration)
{
    m_tlsConfiguration = configuration;
    m_tls = true;
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_tls) {
        auto server = std::make_unique<QSslServer>();
        server->setSslConfiguration(m_tlsConfiguration);
        server->setHandshakeTimeout(m_limits.headerTimeoutMs);
        connect(server.get(), &QSslServer::errorOccurred, this,
                [](QSslSocket *socket, QAbstractSocket::SocketError) {
                    qCDebug(lcServer) << "TLS handshake failed from" << socket->peerAddress()
                                      << socket->errorString();
                });
        m_server = std::move(server);
    } else {
        m_server = std::make_unique<QTcpServer>();
    }
    // Connections are taken as soon as they are announced; the limit only guards bursts.
    m_server->setMaxPendingConnections(1024);
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &HttpServer::acceptPending);
    return m_server->listen(address, port);
}

QString HttpServer::errorString() const
{
    return m_server ? m_server->errorString() : QString();
}

QHostAddress HttpServer::serverAddress() const
{
    return m_server ? m_server->serverAddress() : QHostAddress();
}

quint16 HttpServer::serverPort() const
{
    return m_server ? m_server->serverPort() : 0;
}

void HttpServer::acceptPending()
{
    while (m_server && m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        if (!socket)
            break;
        if (m_shuttingDown) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        auto *connection = new HttpConnection(socket, m_limits, m_handler, this);
        ++m_connectionCount;
        connect(connection, &HttpConnection::closed, this, &HttpServer::connectionGone);
        if (m_connectionCount > m_limits.maxConnections) {
            qCWarning(lcServer) << "connection limit" << m_limits.maxConnections
                                << "reached; refusing" << socket->peerAddress();
            connection->refuseOverloaded();
        }
    }
}

void HttpServer::connectionGone()
{
    --m_connectionCount;
    if (m_shuttingDown && m_connectionCount == 0)
        Q_EMIT drained();
}

void HttpServer::shutdown(int deadlineMs)
{
    if (m_shuttingDown)
        return;
    m_shuttingDown = true;
    if (m_server)
        m_server->close();
    const auto connections = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
    for (HttpConnection *connection : connections)
        connection->beginShutdown();
    if (m_connectionCount == 0) {
        QMetaObject::invokeMethod(this, &HttpServer::drained, Qt::QueuedConnection);
        return;
    }
    QTimer::singleShot(deadlineMs, this, [this] {
        const auto remaining = findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly);
        if (!remaining.isEmpty())
            qCWarning(lcServer) << "shutdown deadline passed; closing" << remaining.size()
                                << "connection(s)";
        for (HttpConnection *connection : remaining)
            connection->abort();
    });
}

} // namespace mcpgate::http
