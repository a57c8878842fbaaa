// The MCP Streamable HTTP transport for the demo server, on the project's own HTTP core: one
// endpoint (/mcp) that serves handshake sessions (Mcp-Session-Id) and stateless requests alike.
#pragma once

#include "http/httpexchange.h"

#include <QHostAddress>
#include <QObject>

#include <map>
#include <memory>

namespace mcpgate::http {
class HttpServer;
}

namespace mcpgate::jsonrpc {
struct Message;
struct ParseResult;
} // namespace mcpgate::jsonrpc

namespace mcpgate::demo {

class DemoMcpServer;

class HttpTransport final : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxSessions = 10000;

    explicit HttpTransport(QObject *parent = nullptr);
    ~HttpTransport() override;
    Q_DISABLE_COPY_MOVE(HttpTransport)

    // Beyond this many sessions, opening one drops the least recently used idle session.
    void setMaxSessions(int maxSessions) { m_maxSessions = maxSessions; }
    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const;
    // http://HOST:PORT/mcp, with the port actually bound.
    QString endpointUrl() const;
    int sessionCount() const { return int(m_sessions.size()); }
    // Stateless requests still running (each ends with its answer or its client's departure).
    int statelessCallCount() const { return int(m_statelessCalls.size()); }

private:
    struct Session;

    void handle(const http::ExchangePtr &exchange);
    void handlePost(const http::ExchangePtr &exchange);
    void handleDelete(const http::ExchangePtr &exchange);
    using SessionMap = std::map<QByteArray, std::unique_ptr<Session>>;
    // The session the request's Mcp-Session-Id names; end() after answering 400 (no header) or
    // 404 (unknown or ended).
    SessionMap::iterator sessionOf(const http::ExchangePtr &exchange);
    void serveStateless(const http::ExchangePtr &exchange, const jsonrpc::Message &message);
    void serveInitialize(const http::ExchangePtr &exchange, const jsonrpc::Message &message);
    void serveSession(const http::ExchangePtr &exchange, const jsonrpc::ParseResult &parsed);
    void evictIfFull();

    std::unique_ptr<http::HttpServer> m_server;
    int m_maxSessions = DefaultMaxSessions;
    quint64 m_useCounter = 0;
    SessionMap m_sessions;
    // Stateless requests each get a server object of their own while they run.
    std::map<const http::HttpExchange *, std::unique_ptr<DemoMcpServer>> m_statelessCalls;
};

} // namespace mcpgate::demo
