// The daemon's HTTP/1.1 server: accepts plain or TLS connections, enforces the connection,
// header, body and time limits, and hands each parsed request to one handler.
#pragma once

#include "httpexchange.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <functional>
#include <memory>

class QTcpServer;

namespace mcpgate::http {

struct HttpServerLimits
{
    int maxConnections = 10000;
    int maxHeaderBytes = 16 * 1024; // request line + headers; 431 above
    qint64 maxBodyBytes = 4 * 1024 * 1024; // 413 above, refused before the body is read
    int headerTimeoutMs = 10000; // a request's head must arrive within this (408)
    int idleTimeoutMs = 60000; // keep-alive connection with nothing in flight
    int maxPipelinedRequests = 32; // reading pauses while this many await responses
};

class HttpServer final : public QObject
{
    Q_OBJECT
public:
    using RequestHandler = std::function<void(const ExchangePtr &)>;

    explicit HttpServer(RequestHandler handler, QObject *parent = nullptr);
    ~HttpServer() override;
    Q_DISABLE_COPY_MOVE(HttpServer)

    void setLimits(const HttpServerLimits &limits) { m_limits = limits; }
    const HttpServerLimits &limits() const { return m_limits; }
    // Enables TLS for connections accepted after the call.
    void setTlsConfiguration(const QSslConfiguration &configuration);
    bool isTls() const { return m_tls; }

    // Port 0 picks a free port; serverPort() then tells which.
    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const;
    QHostAddress serverAddress() const;
    quint16 serverPort() const;
    int connectionCount() const { return m_connectionCount; }

    // Stops accepting, closes idle connections, lets in-flight requests finish, and after
    // `deadlineMs` closes whatever is left. Emits drained() when no connection remains.
    void shutdown(int deadlineMs);

Q_SIGNALS:
    void drained();

private:
    void acceptPending();
    void connectionGone();

    RequestHandler m_handler;
    HttpServerLimits m_limits;
    std::unique_ptr<QTcpServer> m_server;
    QSslConfiguration m_tlsConfiguration;
    bool m_tls = false;
    bool m_shuttingDown = false;
    int m_connectionCount = 0;
};

} // namespace mcpgate::http
